// Checks a build report against the files on disk, independently of agentkb's
// own parser: every input file under CONTENT (as the walk rules define: *.md
// anywhere, .mdc rules, .toml under .codex/agents, .claude-plugin manifests,
// the harnesses' hidden folders, every file of a skill folder) is in the
// report; every file whose front-matter has a `name:` line is rendered under
// that name (a slash command as /file-name), or merged into an identical
// agent that is (its url is that agent's page, and the two files' bodies are
// the same); a skill's files are attached to it and published beside its
// page; every rendered agent's page and raw copy exist in OUT.
// usage: node tests/js/check-report.mjs REPORT CONTENT OUT
import fs from "node:fs";
import path from "node:path";

const [reportPath, content, out] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(reportPath, "utf8"));
let passed = 0, failed = 0;
const fail = (msg) => { failed++; if (failed <= 20) console.error("FAIL: " + msg); };
const check = (cond, msg) => (cond ? passed++ : fail(msg));

const HARNESS_DIRS = new Set([".claude", ".claude-plugin", ".github", ".cursor", ".codex", ".gemini", ".opencode"]);
const isInput = (rel) => {
  const base = path.posix.basename(rel), dirs = rel.split("/").slice(0, -1);
  if (/\.mdc?$/i.test(base)) return true;
  if (/\.toml$/i.test(base)) return dirs.includes(".codex") && dirs.includes("agents");
  return (base === "plugin.json" || base === "marketplace.json") && dirs[dirs.length - 1] === ".claude-plugin";
};
// Files as [path, rel, skillDir or null]: in a folder with a SKILL.md every file is the skill's.
function walk(dir, out, rel = "", skill = null) {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  if (!skill && entries.some((e) => e.isFile() && e.name === "SKILL.md")) skill = rel;
  for (const e of entries) {
    if ((e.name.startsWith(".") && !(e.isDirectory() && HARNESS_DIRS.has(e.name))) || e.name === "node_modules") continue;
    const p = path.join(dir, e.name), r = rel ? rel + "/" + e.name : e.name;
    if (e.isDirectory()) walk(p, out, r, skill);
    else if (e.isFile() && skill !== null && e.name !== "SKILL.md") out.push([p, r, skill]);
    else if (e.isFile() && isInput(r)) out.push([p, r, null]);
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
check(files.length > 0, `no input files under ${content}`);
check(report.files.length === files.length, `report lists ${report.files.length} files, disk has ${files.length}`);
const agentsJson = JSON.parse(fs.readFileSync(path.join(out, "agents.json"), "utf8"));
const bySlug = new Map(agentsJson.map((a) => [a.slug, a]));
let rendered = 0, named = 0, attached = 0;
for (const [file, rel, skillDir] of files) {
  const entry = byPath.get(path.normalize(file));
  if (!entry) { fail(`${file}: missing from the report`); continue; }
  passed++;
  check(["rendered", "skipped", "dropped", "merged", "attached"].includes(entry.status), `${file}: status ${entry.status}`);
  if (entry.status !== "rendered")
    check(typeof entry.reason === "string" && entry.reason.length > 0, `${file}: ${entry.status} without a reason`);
  if (skillDir !== null) {
    // A skill's file: attached to the skill of its folder, copied beside the skill's page.
    attached++;
    check(entry.status === "attached", `${file}: a file of the skill in '${skillDir}' is ${entry.status}`);
    const skill = entry.slug && bySlug.get(entry.slug);
    const inside = skillDir ? rel.slice(skillDir.length + 1) : rel;
    check(skill && skill.kind === "skill" && skill.source === (skillDir ? skillDir + "/" : "") + "SKILL.md",
      `${file}: attached to ${entry.slug}, not to the skill of its folder`);
    const copy = entry.slug && path.join(out, "agents", entry.slug, "files", inside);
    check(copy && fs.existsSync(copy) && fs.readFileSync(copy).equals(fs.readFileSync(file)), `${file}: copy missing or different`);
    continue;
  }
  const base = path.basename(file).replace(/\.(agent\.md|md|mdc|toml|json)$/i, "");
  const docs = ["README", "CONTRIBUTING", "CHANGELOG", "LICENSE"].includes(base.toUpperCase());
  const text = fs.readFileSync(file, "utf8");
  const command = /\.md$/i.test(file) && rel.split("/").slice(0, -1).includes("commands") &&
    !/(^|\/)SKILL\.md$/.test(rel) && !rel.split("/").includes(".cursor") && !rel.split("/").includes(".gemini") &&
    !rel.split("/").includes(".opencode") && !/\.agent\.md$/i.test(file) && !rel.includes(".github/agents/");
  const name = command ? "/" + base : /\.mdc?$/i.test(file) ? frontMatterName(text) : null;
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
    const a = bySlug.get(entry.slug);
    const raw = a && path.join(out, a.raw_url);
    check(raw && fs.existsSync(raw) && fs.readFileSync(raw).equals(fs.readFileSync(file)), `${file}: raw copy differs`);
  }
}
check(agentsJson.length === rendered, `agents.json has ${agentsJson.length} agents, ${rendered} rendered`);
const slugs = new Set(agentsJson.map((a) => a.slug));
check(slugs.size === agentsJson.length, "slugs are not unique");
for (const a of agentsJson) check(!/[\/\\]|\.\./.test(a.slug), `unsafe slug '${a.slug}'`);
console.log(`# ${path.basename(content)}: ${files.length} files, ${named} named, ${rendered} rendered, ${attached} attached`);
console.log(`corpus ${path.basename(content)}: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
