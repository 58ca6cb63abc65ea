// agentkb bundle in a real browser (Debian's chromium via playwright-core):
//  - the single file from file://, with every request logged both ways
//    (context.route and page.on("request")): it must make none but the file
//    itself while searching (English, Chinese, a filter), opening agents from
//    results and from the home page, following the table of contents, going
//    back and forward, and browsing the taxonomy pages;
//  - shared #/ links open the right page directly; the copy button copies the
//    raw agent file; the download button downloads it;
//  - "</script>" in an agent and an image on another host do no harm;
//  - the .zip and the .tar.gz, extracted with unzip and tar, open from file://
//    with search working and a result opening.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch, resultNames as names, sampleSite, settled, type } from "../js/browser.mjs";

const AKB = process.env.AKB_BIN || path.resolve("build/agentkb");
let tmp, site, bundle, browser;

before(async () => {
  ({ tmp, site, bundle } = sampleSite(AKB, "akb-bundle-"));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const fileURL = (p, hash = "") => pathToFileURL(p).href + hash;
const h1 = (page) => page.locator("main h1").first().innerText();
const raw = (slug) => fs.readFileSync(path.join(site, "agents", slug, `${slug}.md`), "utf8");

// A context that records every request, through the network layer and the page.
async function logged() {
  const ctx = await browser.newContext();
  const requests = [];
  await ctx.route("**/*", (route) => { requests.push(`route ${route.request().url()}`); return route.continue(); });
  const page = await ctx.newPage();
  page.on("request", (r) => requests.push(`request ${r.url()}`));
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { ctx, page, requests, errors };
}
// Only the file itself, once per way of logging.
function onlyTheFile(requests, file) {
  const url = pathToFileURL(file).href;
  const others = requests.filter((r) => !r.endsWith(` ${url}`) && !r.includes(` ${url}#`) && !r.includes(` ${url}?`));
  assert.deepEqual(others, [], "no request but the file");
  assert.ok(requests.length >= 1 && requests.length <= 2, `the file is requested once (${requests.join(", ")})`);
}

async function heading(page, text) {
  await page.waitForFunction((t) => document.querySelector("main h1")?.textContent.trim().startsWith(t), text);
}
async function inView(page, id) {
  return page.evaluate((x) => {
    const r = document.getElementById(x)?.getBoundingClientRect();
    return !!r && r.top >= -2 && r.top < innerHeight;
  }, id);
}

test("single file: search, filters, agents, back and forward, and no request but the file", async () => {
  const { ctx, page, requests, errors } = await logged();
  await page.goto(fileURL(bundle));
  await page.waitForSelector("main .card");
  assert.equal(await page.locator("main .card").count(), 20);
  assert.equal(await page.title(), "Agent Knowledge Base");

  // English search; results route inside the file.
  await type(page, "kubernetes");
  await settled(page, /^1 agent for/);
  assert.deepEqual(await names(page), ["server-hardening-specialist"]);
  assert.match(await page.locator(".akb-result a").first().getAttribute("href"), /^#\/agents\/server-hardening-specialist\//);
  assert.match(await page.locator(".akb-result mark").first().innerText(), /kubernetes/i);

  // Chinese search (缓存 and its built-in synonyms, cache and caching), then a filter.
  await type(page, "缓存");
  await settled(page, /^6 agents for “缓存”/);
  assert.ok(await page.locator(".akb-result mark", { hasText: "缓存" }).count() > 0);
  await page.locator('.akb-facet input[data-facet="department"][value="data"]').check();
  await settled(page, /^3 agents for “缓存”/);
  for (const meta of await page.locator(".akb-result-meta").allInnerTexts()) assert.match(meta, /^data/);
  await page.waitForURL(/\?q=%E7%BC%93%E5%AD%98&department=data#\/$/);

  // Opening a result shows the agent, with the search closed.
  const first = (await names(page))[0];
  await page.locator(".akb-result a").first().click();
  await heading(page, first);
  assert.match(page.url(), new RegExp(`#/agents/${first}/$`));
  assert.equal(await page.locator(".akb-search-panel").isVisible(), false);
  assert.equal(await page.title(), `${first} · Agent Knowledge Base`);
  assert.ok(await page.evaluate(() => document.body.classList.contains("agent_page")));

  // Back: the search as it was, filter included.
  await page.goBack();
  await settled(page, /^3 agents for “缓存”/);
  assert.equal(await page.locator("#akb-search-input").inputValue(), "缓存");
  assert.ok(await page.locator('.akb-facet input[data-facet="department"][value="data"]').isChecked());
  // Forward: the agent again.
  await page.goForward();
  await heading(page, first);
  assert.equal(await page.locator(".akb-search-panel").isVisible(), false);

  // From the home page: a card, then the table of contents.
  await page.locator(".site-nav a", { hasText: "All agents" }).click();
  await page.waitForSelector("main .card");
  assert.match(page.url(), /#\/$/);
  await page.locator("main .card a", { hasText: "rails-maintainer" }).click();
  await heading(page, "rails-maintainer");
  assert.match(page.url(), /#\/agents\/rails-maintainer\/$/);
  const toc = page.locator(".toc a").nth(2);
  const id = (await toc.getAttribute("href")).split("#").pop();
  assert.equal(await toc.getAttribute("href"), `#/agents/rails-maintainer/#${id}`);
  await toc.click();
  await page.waitForFunction((x) => decodeURIComponent(location.hash).endsWith(`#${x}`), id);
  assert.ok(await inView(page, id), "the heading is scrolled into view");
  // The same link again scrolls back to its heading, as on the site.
  await page.evaluate(() => window.scrollTo(0, 0));
  assert.equal(await inView(page, id), false);
  await toc.click();
  await page.waitForFunction((x) => { const r = document.getElementById(x).getBoundingClientRect(); return r.top >= -2 && r.top < innerHeight; }, id);
  // A heading's own anchor link keeps the page and names the heading.
  const anchor = page.locator("main .prose h2").first();
  await anchor.hover();
  await anchor.locator("a.anchor").click();
  const hid = await anchor.getAttribute("id");
  await page.waitForFunction((x) => decodeURIComponent(location.hash) === `#/agents/rails-maintainer/#${x}`, hid);
  assert.equal(await h1(page), "rails-maintainer");
  await page.goBack();
  await page.goBack();
  await page.waitForFunction(() => location.hash === "#/agents/rails-maintainer/");
  assert.equal(await h1(page), "rails-maintainer");
  await page.goBack();
  await page.waitForSelector("main .card");
  assert.equal(await page.locator("main .card").count(), 20);

  // The taxonomy pages: navigation, a term, a tool, a model.
  await page.locator(".site-nav a", { hasText: "Departments" }).click();
  await heading(page, "Departments");
  await page.locator("main .terms a", { hasText: "data" }).click();
  await heading(page, "data");
  assert.equal(await page.locator("main .card").count(), 5);
  for (const nav of ["Categories", "Tools", "Models"]) {
    await page.locator(".site-nav a", { hasText: nav }).click();
    await heading(page, nav);
    await page.locator("main .terms a").first().click();
    await page.waitForSelector("main .card");
  }

  // Enter on a result opens it, inside the file.
  await type(page, "kubernetes");
  await settled(page, /^1 agent for/);
  await page.locator("#akb-search-input").press("Enter");
  await heading(page, "server-hardening-specialist");

  assert.deepEqual(errors, []);
  onlyTheFile(requests, bundle);
  await ctx.close();
});

test("single file: shared #/ links open their page directly", async () => {
  const { ctx, page, requests } = await logged();
  await page.goto(fileURL(bundle, "#/departments/data/"));
  await heading(page, "data");
  assert.equal(await page.locator("main .card").count(), 5);
  assert.equal(await page.title(), "data · Agent Knowledge Base");

  const id = "3-慢查询与索引";
  await page.goto(fileURL(bundle, `#/agents/rails-maintainer/#${encodeURIComponent(id)}`));
  await heading(page, "rails-maintainer");
  await page.waitForFunction((x) => {
    const r = document.getElementById(x)?.getBoundingClientRect();
    return r && r.top >= -2 && r.top < innerHeight;
  }, id);
  assert.ok(await page.evaluate((x) => scrollY > 0 && !!document.getElementById(x), id));

  // A search in the link: the results show over the page.
  await page.goto(pathToFileURL(bundle).href + "?q=kubernetes#/");
  await settled(page, /^1 agent for/);

  await page.goto(fileURL(bundle, "#/no/such/page/"));
  await heading(page, "Page not found");
  assert.match(page.url(), /#\/no\/such\/page\/$/);

  // The raw agent file, shown as text.
  await page.goto(fileURL(bundle, "#/agents/rails-maintainer/rails-maintainer.md"));
  await page.waitForSelector("main pre code");
  assert.equal(await page.locator("main pre code").textContent(), raw("rails-maintainer"));
  // Three documents were loaded (the first, the one with ?q=, the one after it); hash changes load nothing.
  const url = pathToFileURL(bundle).href;
  assert.deepEqual(requests.filter((r) => r.split(" ")[1].split(/[?#]/)[0] !== url), [], "no request but the file");
  assert.equal(requests.length, 6, requests.join(", "));
  await ctx.close();
});

test("single file: the copy button copies the raw agent file; the download button downloads it", async () => {
  const { ctx, page, requests } = await logged();
  await page.goto(fileURL(bundle, "#/agents/rails-maintainer/"));
  await heading(page, "rails-maintainer");
  await page.evaluate(() => {
    window.__copied = null;
    if (navigator.clipboard) navigator.clipboard.writeText = async (t) => { window.__copied = t; };
    document.execCommand = () => { window.__copied = document.activeElement.value; return true; };
  });
  await page.locator("button.copy-source").click();
  await page.waitForFunction(() => window.__copied !== null);
  assert.equal(await page.evaluate(() => window.__copied), raw("rails-maintainer"));
  // A code block's copy button too.
  await page.evaluate(() => { window.__copied = null; });
  await page.locator("figure.code button.copy").first().click();
  await page.waitForFunction(() => window.__copied !== null);
  assert.equal(await page.evaluate(() => window.__copied),
    await page.locator("figure.code pre code").first().evaluate((c) => c.textContent));
  onlyTheFile(requests, bundle);

  const [download] = await Promise.all([page.waitForEvent("download"),
    page.locator("a[download]", { hasText: "Download rails-maintainer.md" }).click()]);
  assert.equal(download.suggestedFilename(), "rails-maintainer.md");
  assert.equal(fs.readFileSync(await download.path(), "utf8"), raw("rails-maintainer"));
  assert.match(page.url(), /#\/agents\/rails-maintainer\/$/, "the download keeps the page");
  await ctx.close();
});

test("single file: </script> in an agent and an image on another host do no harm", async () => {
  const c = path.join(tmp, "tricky");
  fs.mkdirSync(c, { recursive: true });
  fs.writeFileSync(path.join(c, "tricky.md"), "---\nname: tricky\ndescription: ends </script> early\n---\n\n" +
    "Text with </script><script>window.__pwned = 1</script> inside.\n\n![logo](https://example.invalid/logo.png)\n\n" +
    "```html\n</script><script>window.__pwned = 2</script>\n```\n");
  const file = path.join(tmp, "tricky.html");
  execFileSync(AKB, ["bundle", c, "-o", file, "-q"]);
  const { ctx, page, requests, errors } = await logged();
  await page.goto(fileURL(file, "#/agents/tricky/"));
  await heading(page, "tricky");
  assert.match(await page.locator("main .prose").innerText(), /Text with <\/script><script>window.__pwned = 1<\/script> inside/);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator("main img[src]").count(), 0);
  await type(page, "early");
  await settled(page, /^1 agent for/);
  assert.deepEqual(errors, []);
  onlyTheFile(requests, file);
  await ctx.close();
});

for (const [ext, unpack] of [["zip", (a, d) => execFileSync("unzip", ["-q", a, "-d", d])],
  ["tar.gz", (a, d) => execFileSync("tar", ["-xzf", a, "-C", d])]]) {
  test(`.${ext}: extracted, it opens from file:// with search working`, async () => {
    const archive = path.join(tmp, `kb.${ext}`), dir = path.join(tmp, `x-${ext}`);
    execFileSync(AKB, ["bundle", "content", "-o", archive, "-q"]);
    fs.mkdirSync(dir);
    unpack(archive, dir);
    assert.deepEqual(fs.readdirSync(dir), ["kb"]);
    const page = await browser.newPage();
    await page.goto(fileURL(path.join(dir, "kb", "index.html")));
    await type(page, "缓存");
    await settled(page, /^6 agents for “缓存”/);
    await type(page, "kubernetes");
    await settled(page, /^1 agent for/);
    await page.locator(".akb-result a").first().click();
    await page.waitForURL(/kb\/agents\/server-hardening-specialist\/index\.html$/);
    assert.equal(await h1(page), "server-hardening-specialist");
    await page.close();
  });
}
