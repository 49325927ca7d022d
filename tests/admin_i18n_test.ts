/**
 * The administrator's pages, the projector view and the voter slips speak
 * Hindi as the booth does: chosen by `Accept-Language` or `?lang=`, with the
 * `lang` attribute set and the language switch shown, and no English of the
 * administrator's catalogue left on a Hindi page.
 */
import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { AdminAuth } from "../lib/admin/admin_auth.ts";
import { AuditLog } from "../lib/admin/audit_log.ts";
import { FailedSignIns } from "../lib/admin/failed_sign_ins.ts";
import { ADMIN_EN } from "../lib/i18n/admin_en.ts";
import { ADMIN_HI } from "../lib/i18n/admin_hi.ts";
import { slipHtml, slipsHeader } from "../lib/election/voter_slips.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import { postVote, signIn } from "./_app.ts";
import { ballot } from "./_voters.ts";

const PASSWORD = "correct horse battery";

/** What a reader sees of a page: `<main>` and the header, without tags, scripts or styles. */
function visible(html: string): string {
  return html.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/\s+/g, " ");
}

/** The administrator's English messages that have no placeholder (those a page shows as they are). */
const ENGLISH_LINES = Object.entries(ADMIN_EN)
  .filter(([key, text]) => !text.includes("{") && ADMIN_HI[key as keyof typeof ADMIN_HI] !== text)
  .map(([, text]) => text);

function assertNoEnglish(html: string) {
  const text = visible(html);
  for (const line of ENGLISH_LINES) assert.ok(!text.includes(line), `"${line}" on a Hindi page`);
}

Deno.test("the administrator's pages and the projector view in Hindi", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-admin-hi-" });
  const store = await openSqliteStore(`${dir}/e.db`, { limit: 100, step: 1 });
  const audit = new AuditLog(`${dir}/e.audit.db`);
  const failedSignIns = new FailedSignIns(audit, { intervalMs: 0 });
  const app = createApp({ store, admin: { auth: new AdminAuth(PASSWORD), audit, failedSignIns } });
  const hi = { "accept-language": "hi-IN,hi;q=0.9" };
  try {
    await t.step("sign-in page and a wrong password", async () => {
      const page = await (await app.request("/admin", { headers: hi })).text();
      assert.match(page, /<html lang="hi"/);
      assert.match(page, /प्रशासक साइन-इन/);
      assert.match(page, /href="\/admin\?lang=en"[^>]*data-language-switch/);
      assertNoEnglish(page);
      const wrong = await app.request("/admin/login", {
        method: "POST",
        headers: { ...hi, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ password: "wrong" }),
      });
      assert.equal(wrong.status, 401);
      const text = await wrong.text();
      assert.match(text, /यह पासवर्ड सही नहीं है।/);
      assertNoEnglish(text);
    });
    const cookie = await signIn(app, PASSWORD);
    for (let n = 0; n < 3; n++) await (await postVote(app, ballot(n, "aap"))).body?.cancel();
    await t.step("the open panel, and the close refused without the box ticked", async () => {
      const page = await (await app.request("/admin", { headers: { ...hi, cookie } })).text();
      assert.match(page, /<html lang="hi"/);
      assert.match(page, /चुनाव प्रशासन/);
      assert.match(page, /<strong data-total="true">३<\/strong> वोट/);
      assertNoEnglish(page);
      // The audit list names its events and who did them in Hindi (the log keeps its ids).
      const audit = page.match(/<ol class="audit"[^>]*>(.*?)<\/ol>/s)?.[1] ?? "";
      assert.match(audit, /<strong data-event="login">साइन-इन<\/strong>/);
      assert.match(visible(audit), /प्रशासक/);
      assert.doesNotMatch(visible(audit), /\b(login|admin|system|start)\b/);
      const refused = await app.request("/admin/close", {
        method: "POST",
        headers: { ...hi, cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({}),
      });
      assert.equal(refused.status, 400);
      const text = await refused.text();
      assert.match(text, /बॉक्स पर निशान लगाएँ/);
      assertNoEnglish(text);
    });
    await t.step("the projector view, open", async () => {
      const page = await (await app.request("/present?lang=hi")).text();
      assert.match(page, /<html lang="hi"/);
      assert.match(page, /वोट देने के लिए स्कैन करें/);
      assert.match(page, /data-language-switch/);
      assertNoEnglish(page);
    });
    await store.close("admin");
    await t.step("the closed panel and projector view say the result in Hindi", async () => {
      const page = await (await app.request("/admin", { headers: { ...hi, cookie } })).text();
      assert.match(visible(page), /AAP जीती।/);
      assertNoEnglish(page);
      assert.doesNotMatch(visible(page), /\bwins\b|Voting was closed/);
      const present = await (await app.request("/present", { headers: hi })).text();
      assert.match(present, /मतदान बंद हो गया है/);
      assert.match(visible(present), /AAP जीती।/);
      assertNoEnglish(present);
      assert.doesNotMatch(visible(present), /\bwins\b/);
    });
    await t.step("English is still English", async () => {
      const page = await (await app.request("/admin?lang=en", { headers: { cookie } })).text();
      assert.match(page, /<html lang="en"/);
      assert.match(page, /Election administration/);
      assert.match(page, /href="\/admin\?lang=hi"/);
    });
  } finally {
    await store.shutdown();
    audit.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("voter slips are printed in the language asked for", async () => {
  const slip = { voterId: "WKH1186253", name: "अनन्या पिल्लई", code: "7KQ2M-X4TPH" };
  const hindi = slipsHeader("मतदान", "hi") +
    await slipHtml(slip, { boothUrl: "https://vote.example/", title: "मतदान", locale: "hi" });
  assert.match(hindi, /<html lang="hi">/);
  assert.match(hindi, /मतदाता पहचान पत्र संख्या: <strong>WKH1186253<\/strong>/);
  assert.match(hindi, /एक-बार का कोड: <span class="code">7KQ2M-X4TPH<\/span>/);
  assertNoEnglish(hindi);
  const english = slipsHeader("Ward 7") +
    await slipHtml(slip, { boothUrl: "https://vote.example/", title: "Ward <7>" });
  assert.match(english, /<html lang="en">/);
  assert.match(english, /Ward &lt;7&gt;: voter slip/);
  assert.match(english, /Voter ID: <strong>WKH1186253<\/strong>/);
});

Deno.test("before the opening, the election-day card and a refused opening are in Hindi", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-admin-day-hi-" });
  const store = await openSqliteStore(`${dir}/e.db`, { opensAt: "admin" });
  const audit = new AuditLog(`${dir}/e.audit.db`);
  const app = createApp({ store, admin: { auth: new AdminAuth(PASSWORD), audit } });
  const hi = { "accept-language": "hi-IN,hi;q=0.9" };
  try {
    const cookie = await signIn(app, PASSWORD);
    const waiting = await (await app.request("/admin", { headers: { ...hi, cookie } })).text();
    assert.match(waiting, /मतदान शुरू होने से पहले/);
    assert.match(waiting, /मॉक पोल शुरू करें/);
    assertNoEnglish(waiting);
    await store.startMockPoll();
    for (let n = 0; n < 2; n++) await (await postVote(app, ballot(n, "bjp"))).body?.cancel();
    const mock = await (await app.request("/admin", { headers: { ...hi, cookie } })).text();
    assert.match(mock, /मॉक पोल चल रहा है/);
    assert.match(mock, /अब तक २ वोट/);
    assertNoEnglish(mock);
    const refused = await app.request("/admin/open", {
      method: "POST",
      headers: { ...hi, cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({}),
    });
    assert.equal(refused.status, 409);
    const text = await refused.text();
    assert.match(text, /मॉक पोल में अभी वोट हैं/);
    assertNoEnglish(text);
  } finally {
    await store.shutdown();
    audit.close();
    await Deno.remove(dir, { recursive: true });
  }
});
