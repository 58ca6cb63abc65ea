// Validates a SARIF log against what the SARIF 2.1.0 standard (OASIS) requires
// of the parts agentkb writes: the log's version and runs; each run's
// tool.driver (name, rules as reportingDescriptors with unique ids); each
// result's message.text, level, ruleId and ruleIndex agreeing with the rules,
// and its locations (physicalLocation.artifactLocation.uri, a relative URI
// reference with uriBaseId, and a region of positive integers); columnKind.
// usage: node tests/js/sarif-check.mjs FILE.sarif   (prints "sarif: N passed, N failed")
import fs from "node:fs";

const log = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
let passed = 0, failed = 0;
const check = (ok, msg) => { if (ok) passed++; else { failed++; if (failed <= 20) console.error("FAIL: " + msg); } };
const isObj = (x) => x && typeof x === "object" && !Array.isArray(x);
const posInt = (x) => Number.isInteger(x) && x >= 1;
const LEVELS = ["none", "note", "warning", "error"];

check(log.version === "2.1.0", "version is 2.1.0");
check(typeof log.$schema === "string" && /sarif.*2\.1\.0/.test(log.$schema), "$schema names SARIF 2.1.0");
check(Array.isArray(log.runs) && log.runs.length >= 1, "runs is a non-empty array");
for (const run of log.runs || []) {
  const driver = run.tool && run.tool.driver;
  check(isObj(driver) && typeof driver.name === "string" && driver.name.length > 0, "tool.driver.name");
  const rules = (driver && driver.rules) || [];
  check(Array.isArray(rules), "driver.rules is an array");
  check(new Set(rules.map((r) => r.id)).size === rules.length, "rule ids are unique");
  for (const r of rules) {
    check(typeof r.id === "string" && /^AKB-[A-Z]+\d{3}$/.test(r.id), `rule id ${r.id}`);
    check(isObj(r.shortDescription) && typeof r.shortDescription.text === "string" && r.shortDescription.text, `${r.id} shortDescription.text`);
    check(!r.defaultConfiguration || LEVELS.includes(r.defaultConfiguration.level), `${r.id} defaultConfiguration.level`);
  }
  check(!run.columnKind || ["utf16CodeUnits", "unicodeCodePoints"].includes(run.columnKind), "columnKind");
  check(Array.isArray(run.results), "results is an array");
  for (const [i, res] of (run.results || []).entries()) {
    const at = `result ${i}`;
    check(isObj(res.message) && typeof res.message.text === "string" && res.message.text.length > 0, `${at}: message.text`);
    check(LEVELS.includes(res.level), `${at}: level ${res.level}`);
    check(Number.isInteger(res.ruleIndex) && res.ruleIndex >= 0 && res.ruleIndex < rules.length, `${at}: ruleIndex`);
    check(rules[res.ruleIndex] && rules[res.ruleIndex].id === res.ruleId, `${at}: ruleId agrees with ruleIndex`);
    check(Array.isArray(res.locations) && res.locations.length === 1, `${at}: one location`);
    const pl = res.locations && res.locations[0] && res.locations[0].physicalLocation;
    const art = pl && pl.artifactLocation;
    check(isObj(art) && typeof art.uri === "string" && art.uri.length > 0, `${at}: artifactLocation.uri`);
    // A relative reference, no scheme, nothing a URI may not hold unencoded.
    check(art && !/^[a-z][a-z0-9+.-]*:/i.test(art.uri) && !/[\s"<>\\^`{|}]/.test(art.uri), `${at}: uri ${art && art.uri}`);
    check(art && typeof art.uriBaseId === "string", `${at}: uriBaseId`);
    if (pl && pl.region) check(posInt(pl.region.startLine) && posInt(pl.region.startColumn), `${at}: region`);
  }
}
console.log(`sarif: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
