// A real browser against `dossier serve`: the open claim page shows an edit without any
// navigation by the test, and a YAML error shows the overlay while the old content stays.
//
// Needs: Debian's chromium (/usr/bin/chromium, or $CHROMIUM), playwright-core, and a built
// dossier binary ($DOSSIER_BIN, default ../../target/debug/dossier).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:net";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const bin = process.env.DOSSIER_BIN || join(repo, "target", "debug", "dossier");
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on("error", fail);
  });
}

function waitForLine(child, needle, ms) {
  return new Promise((ok, fail) => {
    let seen = "";
    const timer = setTimeout(() => fail(new Error(`no "${needle}" in ${ms} ms; output:\n${seen}`)), ms);
    child.stdout.on("data", (d) => {
      seen += d;
      if (seen.includes(needle)) {
        clearTimeout(timer);
        ok();
      }
    });
  });
}

test("the open page follows edits, and shows errors without losing the page", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "dossier-browser-"));
  cpSync(join(repo, "content"), join(dir, "content"), { recursive: true });
  const port = await freePort();
  const server = spawn(bin, ["serve", "--root", dir, "--port", String(port), "--debounce", "50"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  server.stderr.on("data", (d) => (stderr += d));
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  t.after(async () => {
    await browser.close();
    server.kill("SIGINT");
    rmSync(dir, { recursive: true, force: true });
  });
  await waitForLine(server, "watching", 30000);

  const page = await browser.newPage();
  let navigations = 0;
  page.on("framenavigated", (f) => { if (f === page.mainFrame()) navigations++; });
  await page.goto(`http://127.0.0.1:${port}/claims/troop-numbers/`);
  const h1 = page.locator("h1");
  assert.equal(await h1.textContent(), "North Korea has sent 10,000 to 12,000 soldiers to Russia.");
  const navigationsBefore = navigations;

  // Edit the claim: the page reloads itself and shows the new text.
  const claimsPath = join(dir, "content", "claims.yaml");
  const original = readFileSync(claimsPath, "utf8");
  const edited = original.replace(
    'claim: "North Korea has sent 10,000 to 12,000 soldiers to Russia."',
    'claim: "North Korea has sent ten to twelve thousand soldiers to Russia."',
  );
  assert.notEqual(edited, original, "the claim text to edit is in claims.yaml");
  writeFileSync(claimsPath, edited);
  await page.waitForFunction(
    () => document.querySelector("h1")?.textContent === "North Korea has sent ten to twelve thousand soldiers to Russia.",
    null,
    { timeout: 15000 },
  );
  assert.ok(navigations > navigationsBefore, "the page reloaded itself");

  // Break the YAML: the overlay shows the error, the page keeps its content.
  writeFileSync(claimsPath, edited.replace("- id: troop-numbers", "- id: troop-numbers\n  claim: [unclosed"));
  const overlay = page.locator("#dossier-overlay");
  await overlay.waitFor({ state: "visible", timeout: 15000 });
  const text = await overlay.textContent();
  assert.match(text, /YAML syntax error/);
  assert.match(text, /content\/claims\.yaml:\d+/);
  assert.equal(await h1.textContent(), "North Korea has sent ten to twelve thousand soldiers to Russia.");

  // Fix it: the overlay goes and the page shows the fixed build.
  writeFileSync(claimsPath, original);
  await page.waitForFunction(
    () => document.querySelector("h1")?.textContent === "North Korea has sent 10,000 to 12,000 soldiers to Russia."
      && !document.getElementById("dossier-overlay"),
    null,
    { timeout: 15000 },
  );
  assert.equal(stderr.includes("panicked"), false, stderr);
});
