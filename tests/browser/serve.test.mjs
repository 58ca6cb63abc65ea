// agentkb serve in Chromium: an open page reloads by itself when its agent
// file is edited, a broken hook puts the overlay with the error's
// path:line message over the page, and fixing the hook takes it away.
// The server runs on a free port and is always stopped (SIGINT, then SIGKILL).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch } from "../js/browser.mjs";

const AKB = process.env.AKB_BIN || path.resolve("build/agentkb");
const AGENT = "engineering/accessibility-auditor.md";
const BROKEN = "return {\n  filter = function(agent)\n    return agent.x ==\n  end,\n}\n";
let tmp, server, url, browser, stderr = "";

// Starts `agentkb serve` and resolves with its address, from the "serving ... at URL" line.
function startServer() {
  server = spawn(AKB, ["serve", path.join(tmp, "c"), "-p", "0", "--hook", path.join(tmp, "hook.lua")], {
    env: { ...process.env, TMPDIR: path.join(tmp, "tmpdir") }, stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stderr}`)), 60000);
    server.stderr.on("data", (d) => {
      stderr += d;
      const m = /^serving .* at (http:\S+)$/m.exec(stderr);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on("exit", (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
  });
}

function stopServer() {
  if (!server || server.exitCode !== null) return Promise.resolve(server?.exitCode);
  return new Promise((resolve) => {
    const kill = setTimeout(() => server.kill("SIGKILL"), 15000);
    server.on("exit", (code) => { clearTimeout(kill); resolve(code); });
    server.kill("SIGINT");
  });
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "akb-serve-"));
  fs.cpSync("content", path.join(tmp, "c"), { recursive: true });
  fs.mkdirSync(path.join(tmp, "tmpdir"));
  fs.writeFileSync(path.join(tmp, "hook.lua"), "return {}\n");
  url = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await stopServer();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const connected = (page) => page.waitForFunction(
  () => document.documentElement.getAttribute("data-agentkb-live") === "connected", null, { timeout: 30000 });

test("the page reloads on an edit, shows a broken build's errors and clears them once fixed", { timeout: 240000 }, async () => {
  const page = await browser.newPage();
  await page.goto(`${url}agents/accessibility-auditor/`);
  await connected(page);
  assert.equal(await page.locator("#agentkb-overlay").count(), 0, "no overlay on a good build");

  // An edit: the page reloads by itself and shows it.
  await page.evaluate(() => { window.beforeEdit = true; });
  fs.appendFileSync(path.join(tmp, "c", AGENT), "\nBROWSER-EDIT-MARKER\n");
  await page.waitForFunction(() => document.body.innerText.includes("BROWSER-EDIT-MARKER"), null, { timeout: 60000 });
  assert.equal(await page.evaluate(() => window.beforeEdit), undefined, "the page was reloaded");
  await connected(page);

  // A broken hook: the overlay, with the message as text; the page stays.
  fs.writeFileSync(path.join(tmp, "hook.lua"), BROKEN);
  const overlay = page.locator("#agentkb-overlay");
  await overlay.waitFor({ timeout: 60000 });
  const text = await overlay.innerText();
  assert.match(text, /hook\.lua:4: error: unexpected symbol near 'end'/);
  const tags = await overlay.evaluate((o) => [...o.querySelectorAll("*")].map((e) => e.tagName));
  assert.deepEqual([...new Set(tags)].sort(), ["DIV", "P"], "the messages are text, not markup");
  assert.ok(await page.evaluate(() => document.body.innerText.includes("BROWSER-EDIT-MARKER")), "the last good page stays");

  // A page opened while the build is broken shows the overlay at once.
  const other = await browser.newPage();
  await other.goto(url);
  await other.locator("#agentkb-overlay").waitFor({ timeout: 30000 });
  await other.close();

  // Fixed: the page reloads and the overlay is gone.
  fs.writeFileSync(path.join(tmp, "hook.lua"), "return {}\n");
  await overlay.waitFor({ state: "detached", timeout: 60000 });
  await connected(page);
  assert.equal(await page.locator("#agentkb-overlay").count(), 0);
  assert.ok(await page.evaluate(() => document.body.innerText.includes("BROWSER-EDIT-MARKER")));
  await page.close();
});

test("Ctrl-C stops the server with status 0 and removes its folder", { timeout: 30000 }, async () => {
  assert.equal(await stopServer(), 0);
  assert.deepEqual(fs.readdirSync(path.join(tmp, "tmpdir")), []);
});
