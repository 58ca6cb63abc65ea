// Writes the XSS suite's fixture (tests/fixtures/xss/payloads.mjs) into a folder, at test time:
// payloads in file and folder names are awkward in git. Payloads go in pairs (1 and 2, 3 and 4, …):
// a pair shares a folder and its taxonomy values (department, category, model, a tool, priority),
// which hold both payloads, so each payload is in every one of them with half the term pages.
//   content/d<pair> <payload> <payload>/f<id> <payload>.md   every front-matter field and key, the body
//   content/d<pair> <payload> <payload>/n<id> <payload>.md   no front-matter: its name is its file
//                                       name (every seventh payload; each file name is on its
//                                       agent's page as its source anyway)
// plus content/hub/graph-hub.md, which every payload's agent names (the graph), agentkb.yaml (the
// site title and description are payloads too), xss_payloads.lua (the payloads for
// tests/fixtures/xss/hook.lua) and xss-page.mustache (the hook's template page).
// Returns [{ id, text, mark, file }].
import fs from "node:fs";
import path from "node:path";
import { marker, payloads } from "../fixtures/xss/payloads.mjs";

// A YAML double-quoted scalar: JSON's escapes, and \u for everything beyond ASCII (libyaml would
// take a raw U+2028 for a line break and fold it).
const yq = (s) => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
// A Lua string literal with every byte beyond plain ASCII letters and digits escaped.
const lq = (s) => '"' + [...Buffer.from(s)].map((b) => /[A-Za-z0-9 ]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : "\\" + String(b).padStart(3, "0")).join("") + '"';
// A name on disk: anything but "/" (U+2215 instead) and NUL.
const fname = (s) => s.replaceAll("/", "\u2215").replaceAll("\0", "");
// A markdown link destination, when the payload can be one.
function dest(p) {
  if (!/[\s()<>]/.test(p)) return p;
  if (!/[<>\n]/.test(p)) return `<${p}>`;
  return null;
}

// The pair of payload `id` ("<first> <second>").
const pair = (id) => payloads.filter((x) => Math.ceil(x.id / 2) === Math.ceil(id / 2)).map((x) => x.text).join(" ");

function agentFile({ id, text: p }, mark, links) {
  const d = links ? dest(p) : null, both = pair(id);
  const fm = [
    "---",
    `name: ${yq(p)}`,
    `description: ${yq(`${p} ${mark}`)}`,
    `tools: [${yq(both)}, Read]`,
    `model: ${yq(both)}`,
    `color: ${yq(p)}`,
    `category: ${yq(both)}`,
    `department: ${yq(both)}`,
    `priority: ${yq(both)}`,
    `emoji: ${yq(p)}`,
    `tags: [${yq(p)}]`,
    `${yq(p)}: ${yq(p)}`,
    "custom:",
    `  nested: ${yq(p)}`,
    `  ${yq(p)}: [${yq(p)}]`,
    `xss_id: ${id}`,
    "---",
  ];
  // It names graph-hub: its name is then on graph/ (a node), in graph-hub's "Used by", its collection
  // (the folder) in the graph's filter.
  const body = [
    `Intro ${mark}: ${p}`,
    "",
    "It works with graph-hub.",
    "",
    `## Heading ${p}`,
    "",
    p,
    "",
    `### Second ${mark} ${p}`,
    "",
  ];
  if (d) body.push(`[link ${mark}](${d}) ![image ${mark}](${d}) [ref ${mark}][ref${id}]`, "", `[ref${id}]: ${d}`, "");
  if (links && !/[\s<>]/.test(p)) body.push(`<${p}>`, "");
  body.push(`~~~${p.replaceAll("\n", " ")}`, `code ${mark} ${p}`, "~~~", "", `<div title="${p}">raw ${p}</div>`, "");
  return fm.concat(body).join("\n");
}

// With `links` false, no body or hook page links to a payload: such a site passes `agentkb check
// --links` (payload links are, at best, relative links to nothing).
export function writeFixture(dir, { links = true } = {}) {
  const content = path.join(dir, "content");
  const out = [];
  for (const pl of payloads) {
    const mark = marker(pl.id);
    const folder = path.join(content, fname(`d${Math.ceil(pl.id / 2)} ${pair(pl.id)}`));
    fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, fname(`f${pl.id} ${pl.text}`) + ".md");
    fs.writeFileSync(file, agentFile(pl, mark, links));
    if (pl.id % 7 === 0) fs.writeFileSync(path.join(folder, fname(`n${pl.id} ${pl.text}`) + ".md"), `Plain ${mark} text.\n`);
    out.push({ ...pl, mark, file });
  }
  fs.mkdirSync(path.join(content, "hub"));
  fs.writeFileSync(path.join(content, "hub", "graph-hub.md"), "---\nname: graph-hub\ndescription: Every agent names it.\n---\nHub.\n");
  const byId = (id) => payloads.find((x) => x.id === id).text;
  fs.writeFileSync(path.join(dir, "agentkb.yaml"),
    `title: ${yq(byId(19))}\ndescription: ${yq(byId(23))}\ncontent: content\noutput: public\n`);
  fs.writeFileSync(path.join(dir, "xss_payloads.lua"), `return {\n  links = ${links},\n${payloads.map((x) => `  ${lq(x.text)},\n`).join("")}}\n`);
  fs.writeFileSync(path.join(dir, "xss-page.mustache"),
    "{{<base}}{{$content}}<h1>{{title}}</h1><p title=\"{{data.text}}\">{{data.text}}</p>" +
    "<ul>{{#data.rows}}<li data-x=\"{{text}}\">{{text}}</li>{{/data.rows}}</ul>{{/content}}{{/base}}\n");
  return out;
}
