// Checks a build report against the files on disk, independently of agentkb's
// own parser: every *.md file under CONTENT (as the walk rules define) is in
// the report; every file whose front-matter has a `name:` line is rendered
// under that name, or merged into an identical agent that is (its url is that
// agent's page, and the two files' bodies are the same); every rendered
// agent's page exists in OUT.
// usage: node tests/check-report.mjs REPORT CONTENT OUT
import fs from "node:fs";
import path from "node:path";

const [reportPath, content, out] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(reportPath, "utf8"));
let passed = 0, failed = 0;
const fail = (msg) => { failed++; if (failed <= 20) console.error("FAIL: " + msg); };
const check = (cond, msg) => (cond ? passed++ : fail(msg));

function walk(dir, out) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && /\.md$/i.test(e.name)) out.push(p);
  }
  return out;
}

// The name a person reads: the first top-level `name:` line of the front-matter.
function frontMatterName(text) {
  text = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const lines = text.split("\n");
  if (!/^\s*---\s*$/.test(lines[0])) return null;
  for (let i = 1; i < lines.length; i++) {
    if (/^\s*(---+|\.\.\.)\s*$/.test(lines[i])) break;
    const m = /^\s*name:\s*(.*?)\s*$/.exec(lines[i]);
    if (m) {
      let v = m[1];
      if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1);
      return v.trim() || null;
    }
  }
  return null;
}

const byPath = new Map(report.files.map((f) => [path.normalize(f.path), f]));
const files = walk(content, []);
check(files.length > 0, `no markdown files under ${content}`);
check(report.files.length === files.length, `report lists ${report.files.length} files, disk has ${files.length}`);
let rendered = 0, named = 0;
for (const file of files) {
  const entry = byPath.get(path.normalize(file));
  if (!entry) { fail(`${file}: missing from the report`); continue; }
  passed++;
  check(["rendered", "skipped", "dropped", "merged"].includes(entry.status), `${file}: status ${entry.status}`);
  if (entry.status === "skipped" || entry.status === "dropped" || entry.status === "merged")
    check(typeof entry.reason === "string" && entry.reason.length > 0, `${file}: ${entry.status} without a reason`);
  const base = path.basename(file, path.extname(file)).toUpperCase();
  const docs = ["README", "CONTRIBUTING", "CHANGELOG", "LICENSE"].includes(base);
  const name = frontMatterName(fs.readFileSync(file, "utf8"));
  if (name && !docs) {
    named++;
    check(entry.status === "rendered" || entry.status === "merged", `${file}: has name '${name}' but is ${entry.status}`);
    check(entry.name === name, `${file}: rendered as '${entry.name}', file says '${name}'`);
  }
  if (entry.status === "merged") {
    // Shown on the page of the identical agent it names.
    const kept = report.files.find((f) => f.status === "rendered" && f.url === entry.url);
    const body = (p) => fs.readFileSync(p, "utf8").replace(/^\uFEFF?---[^]*?\n-{3,}\s*\n/, "");
    check(kept && body(kept.path) === body(file) && kept.name.toLowerCase() === entry.name.toLowerCase(),
      `${file}: merged into ${entry.url}, which is not an identical agent`);
    check(kept && fs.readFileSync(path.join(out, entry.url), "utf8").includes(path.relative(content, file)),
      `${file}: not listed on ${entry.url}`);
  }
  if (entry.status === "rendered") {
    rendered++;
    check(fs.existsSync(path.join(out, entry.url)), `${file}: page ${entry.url} missing`);
    const raw = path.join(out, "agents", entry.slug, entry.slug + ".md");
    check(fs.existsSync(raw) && fs.readFileSync(raw).equals(fs.readFileSync(file)), `${file}: raw copy differs`);
  }
}
const agentsJson = JSON.parse(fs.readFileSync(path.join(out, "agents.json"), "utf8"));
check(agentsJson.length === rendered, `agents.json has ${agentsJson.length} agents, ${rendered} rendered`);
const slugs = new Set(agentsJson.map((a) => a.slug));
check(slugs.size === agentsJson.length, "slugs are not unique");
for (const a of agentsJson) check(!/[\/\\]|\.\./.test(a.slug), `unsafe slug '${a.slug}'`);
console.log(`# ${path.basename(content)}: ${files.length} files, ${named} named, ${rendered} rendered`);
console.log(`corpus ${path.basename(content)}: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
