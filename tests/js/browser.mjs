// Shared helpers for browser tests: Debian's chromium driven by playwright-core
// (never a downloaded browser), and a loopback static server for http tests.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

export function chromiumPath() {
  for (const p of [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    if (p && fs.existsSync(p)) return p;
  }
  return execFileSync("sh", ["-c", "command -v chromium"]).toString().trim();
}

export async function launch() {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// `agentkb check --links SITE`: every site a test builds must have no broken
// link, anchor or asset. Throws with the checker's report otherwise.
export function checkLinks(akb, site) {
  try {
    execFileSync(akb, ["check", "--links", site], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    throw new Error(`agentkb check --links ${site} failed:\n${e.stderr}`);
  }
}

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
  ".json": "application/json", ".svg": "image/svg+xml", ".md": "text/markdown; charset=utf-8" };

// Serves `root` at http://127.0.0.1:PORT/PREFIX (PREFIX like "/some/sub/path/").
export function serve(root, prefix = "/") {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!url.startsWith(prefix)) { res.writeHead(404); res.end("outside prefix"); return; }
    let file = path.join(root, url.slice(prefix.length));
    if (!file.startsWith(path.resolve(root))) { res.writeHead(403); res.end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) { res.writeHead(404); res.end("not found"); return; }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}${prefix}`, close: () => server.close() });
  }));
}

// The sample site (content/) built and bundled into a new temporary folder:
// { tmp, site, bundle } (bundle: the single file agents.html). The caller removes tmp.
export function sampleSite(akb, prefix) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const site = path.join(tmp, "site");
  const bundle = path.join(tmp, "agents.html");
  execFileSync(akb, ["build", "content", "-o", site, "-q"]);
  execFileSync(akb, ["bundle", "content", "-o", bundle, "-q"]);
  return { tmp, site, bundle };
}

// The search box: type a query key by key, then wait for the count to match `re`.
export const resultNames = (page) => page.locator(".akb-result .akb-result-name").allInnerTexts();
export async function type(page, text) {
  await page.locator("#akb-search-input").fill("");
  await page.locator("#akb-search-input").pressSequentially(text, { delay: 5 });
}
export async function settled(page, re) {
  await page.waitForFunction((src) => new RegExp(src).test(document.querySelector(".akb-search-count")?.textContent || ""),
    re.source);
}
