import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { ensureBundles } from "../runtime/bundles.ts";
import { prepareLogos } from "../lib/logos/logos.ts";
import { openSqliteStore } from "../lib/store/sqlite/sqlite_store.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { ballot, voterId } from "./_voters.ts";

interface Env {
  app: ReturnType<typeof createApp>;
  store: ElectionStore;
  /** Another app on the same store: the server restarted, or another instance. */
  restart: () => ReturnType<typeof createApp>;
}

async function withApp(limit: number | null, fn: (env: Env) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-pages-" });
  const store = await openSqliteStore(`${dir}/e.db`, { limit, step: 1 });
  try {
    const logos = await prepareLogos(store.parties, `${dir}/logos`);
    const { manifest } = await ensureBundles();
    const restart = () => createApp({ store, assets: manifest, logos });
    await fn({ app: restart(), store, restart });
  } finally {
    await store.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

function form(fields: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  };
}

const VOTER = { name: "Asha Verma", age: "34", address: "14 Park Street", voterId: voterId(7) };

/** Posts the booth's two steps without JavaScript: the party, then "Confirm vote" with the page's token. */
async function castByForm(app: Env["app"], fields: Record<string, string>, headers = {}) {
  const confirm = await app.request("/vote", {
    ...form(fields),
    headers: { ...form({}).headers, ...headers },
  });
  const html = await confirm.text();
  const token = html.match(/name="token" value="([0-9a-f]{32})"/)?.[1];
  assert.ok(token, `a confirm page with a token (${confirm.status})`);
  const res = await app.request("/vote", form({ ...fields, token, step: "confirm" }));
  return { confirm: html, token, res };
}

Deno.test("GET / renders the booth form with a submit button per party and its script", async () => {
  await withApp(null, async ({ app }) => {
    const res = await app.request("/");
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<form class="booth card" method="post" action="\/vote"/);
    for (const id of ["bjp", "congress", "aap", "nota"]) {
      assert.match(html, new RegExp(`type="submit" name="party" value="${id}"`));
    }
    assert.match(html, /<label for="voterId">/);
    assert.match(html, /Symbol of BJP: an orange flower/);
    assert.match(html, /<script type="module" src="\/build\/VoteBooth-[0-9a-f]{12}\.js">/);
    assert.ok(!/<script>|\son[a-z]+="|style="/.test(html), "no inline script, handler or style");
    assert.doesNotMatch(html, /href="\/admin"/, "voters are not shown the administrator's link");
  });
});

Deno.test("POST /vote asks to confirm, casts only on confirming, and redirects to the receipt", async () => {
  await withApp(null, async ({ app, store }) => {
    const { confirm, token, res } = await castByForm(app, { ...VOTER, party: "aap" });
    assert.match(confirm, /data-confirm="aap"/);
    assert.match(confirm, /Confirm vote/);
    assert.match(confirm, /value="change"/);
    assert.equal(res.status, 303);
    const location = res.headers.get("location")!;
    assert.match(location, /^\/receipt\/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    assert.equal(store.snapshot().parties.find((p) => p.id === "aap")?.votes, 1);
    // The first view, with the slip cookie, shows the party; it also clears the cookie.
    const cookie = res.headers.get("set-cookie")!.split(";")[0];
    const slip = await app.request(location, { headers: { cookie } });
    const slipHtml = await slip.text();
    assert.match(slipHtml, /You voted for AAP\./);
    assert.match(slipHtml, /http-equiv="refresh" content="7;url=\/receipt\//);
    assert.match(slip.headers.get("set-cookie") ?? "", /slip=;.*Max-Age=0/);
    // Anyone opening the address later sees the receipt, never the party.
    const later = await (await app.request(location)).text();
    assert.match(later, new RegExp(location.slice("/receipt/".length)));
    assert.doesNotMatch(later, /\bAAP\b/); // a receipt code may hold the letters by chance
    // A kiosk's slip goes back to an empty booth after seven seconds, without JavaScript too.
    const kioskSlip = await (await app.request(`${location}?kiosk`, { headers: { cookie } }))
      .text();
    assert.match(kioskSlip, /http-equiv="refresh" content="7;url=\/\?kiosk"/);
    // Confirming again with the same page (Back, or a second press) leads to the same receipt.
    const again = await app.request(
      "/vote",
      form({ ...VOTER, party: "aap", token, step: "confirm" }),
    );
    assert.equal(again.status, 303);
    assert.equal(again.headers.get("location"), location);
    assert.equal(store.snapshot().total, 1);
    // "Change" goes back to the booth with the details kept and nothing cast.
    const change = await app.request(
      "/vote",
      form({ ...VOTER, voterId: voterId(8), party: "bjp", step: "change" }),
    );
    assert.equal(change.status, 200);
    assert.match(await change.text(), /value="14 Park Street"/);
    assert.equal(store.snapshot().total, 1);
  });
});

Deno.test("POST /vote shows each error beside its field, in a summary, and keeps the other fields", async () => {
  await withApp(null, async ({ app, store }) => {
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ ...VOTER, age: "17", party: "bjp" }, 403, /id="age-error">You must be 18 or older/],
      [
        { ...VOTER, voterId: "WKH1186263", party: "bjp" },
        400,
        /id="voterId-error">This voter ID is not valid/,
      ],
      [{ ...VOTER }, 400, /id="party-error" tabindex="-1">Press the button of the party/],
      [{ ...VOTER, party: "green" }, 422, /id="party-error" tabindex="-1">That party is not/],
      [{ ...VOTER, name: "", party: "bjp" }, 400, /id="name-error">Please enter your full name/],
      [{ ...VOTER, age: "", party: "bjp" }, 400, /id="age-error">Please enter your age/],
    ];
    for (const [fields, status, error] of cases) {
      const res = await app.request("/vote", form(fields));
      assert.equal(res.status, status, JSON.stringify(fields));
      const html = await res.text();
      assert.match(html, error);
      assert.match(html, /<title>Error: /);
      assert.match(html, /class="error-summary card" role="alert"[^]*<a href="#/);
      assert.match(html, /value="14 Park Street"/, "the address is kept");
      assert.doesNotMatch(html, /Invalid (key|type)|Expected .* but received/);
    }
    assert.equal(store.snapshot().total, 0);
  });
});

Deno.test("POST /vote tells a repeated voter ID it has already voted, and escapes what it echoes", async () => {
  await withApp(null, async ({ app }) => {
    await (await castByForm(app, { ...VOTER, party: "bjp" })).res.body?.cancel();
    const { res } = await castByForm(app, {
      ...VOTER,
      address: '<script>alert("x")</script>',
      party: "nota",
    });
    assert.equal(res.status, 409);
    const html = await res.text();
    assert.match(html, /id="voterId-error">This voter ID has already been used to vote/);
    assert.ok(!html.includes('<script>alert("x")'));
    assert.match(html, /value="&lt;script>alert\(&quot;x&quot;\)&lt;\/script>"/);
  });
});

Deno.test("the closed booth says so first, with the result and the dashboard, and no fields", async () => {
  await withApp(1, async ({ app, store }) => {
    await store.cast(ballot(1, "bjp"));
    const page = await (await app.request("/")).text();
    assert.match(page, /<h1 id="closed-title" tabindex="-1">Voting has ended/);
    assert.match(page, /BJP wins/);
    assert.match(page, /href="\/results"/);
    assert.doesNotMatch(page, /<input|class="party-button/);
    const res = await app.request("/vote", form({ ...VOTER, party: "aap" }));
    assert.equal(res.status, 409);
    const closed = await res.text();
    assert.match(closed, /Voting has ended/);
    // A bad form to a closed booth: no errors about fields that are not there.
    const bad = await app.request("/vote", form({ ...VOTER, voterId: "ZQT1000011", party: "x" }));
    assert.equal(bad.status, 409);
    const badPage = await bad.text();
    assert.doesNotMatch(badPage, /class="error-summary|href="#voterId"|<title>Error/);
    assert.match(badPage, /Voting has ended/);
  });
});

Deno.test("the booth speaks Hindi when the browser asks, and remembers a chosen language", async () => {
  await withApp(null, async ({ app }) => {
    const hi = await (await app.request("/", { headers: { "accept-language": "hi-IN,hi;q=0.9" } }))
      .text();
    assert.match(hi, /<html lang="hi">/);
    assert.match(hi, /अपना वोट डालें/);
    assert.match(hi, /href="\/\?lang=en" hreflang="en" lang="en"/);
    const switched = await app.request("/?lang=hi");
    assert.match(switched.headers.get("set-cookie") ?? "", /lang=hi;.*Max-Age=31536000/);
    const remembered = await (await app.request("/results", {
      headers: { cookie: "lang=hi", "accept-language": "en" },
    })).text();
    assert.match(remembered, /<html lang="hi">/);
    const errors = await (await app.request("/vote", {
      ...form({ ...VOTER, age: "१६", party: "bjp" }),
      headers: { ...form({}).headers, cookie: "lang=hi" },
    })).text();
    assert.match(errors, /<title>त्रुटि: /);
    assert.match(errors, /id="age-error">वोट देने के लिए/);
  });
});

Deno.test("GET /check says whether a receipt was counted, never the party", async () => {
  await withApp(null, async ({ app, store }) => {
    const { receipt } = await store.cast(ballot(1, "congress"));
    const typed = receipt.toLowerCase().replaceAll("-", " ");
    const counted = await app.request(`/check?code=${encodeURIComponent(typed)}`);
    assert.equal(counted.status, 200);
    const html = await counted.text();
    assert.match(
      html,
      new RegExp(`data-counted="true">Counted: the ballot with receipt ${receipt}`),
    );
    assert.doesNotMatch(html, /Congress/);
    const missing = await (await app.request("/check?code=AAAA-BBBB-CCCC")).text();
    assert.match(missing, /data-counted="false">No ballot has the receipt AAAA-BBBB-CCCC/);
    const bad = await app.request("/check?code=hello");
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /<title>Error: /);
    const blank = await (await app.request("/check")).text();
    assert.doesNotMatch(blank, /data-counted/);
  });
});

Deno.test("a browser gets a designed 404 page; the API and other clients get JSON", async () => {
  await withApp(null, async ({ app }) => {
    for (const path of ["/result", "/admin/", "/receipt/AAAA-BBBB-CCCC"]) {
      const res = await app.request(path, { headers: { accept: "text/html,*/*" } });
      assert.equal(res.status, 404, path);
      assert.match(await res.text(), /Page not found/);
    }
    const get = await app.request("/vote", { headers: { accept: "text/html" } });
    assert.equal(get.status, 303);
    const api = await app.request("/api/nothing", { headers: { accept: "text/html" } });
    assert.equal(api.status, 404);
    assert.equal((await api.json()).error.code, "not_found");
    const curl = await app.request("/result");
    assert.equal((await curl.json()).error.code, "not_found");
  });
});

Deno.test("GET /parties.css gives each party its colour", async () => {
  await withApp(null, async ({ app }) => {
    const res = await app.request("/parties.css");
    assert.match(res.headers.get("content-type") ?? "", /text\/css/);
    assert.match(await res.text(), /\.party-bjp\{--party:#f57c00\}/);
  });
});

Deno.test("GET /results renders the current tally, and the winner once closed", async () => {
  await withApp(3, async ({ app, store }) => {
    await store.cast(ballot(1, "aap"));
    let html = await (await app.request("/results")).text();
    assert.match(html, /data-status="open"/);
    assert.match(html, /data-party="aap"[^]*?<strong data-votes="true">1<\/strong>/);
    assert.match(html, /<script type="module" src="\/build\/LiveTally-[0-9a-f]{12}\.js">/);
    await store.cast(ballot(2, "nota"));
    await store.cast(ballot(3, "nota"));
    html = await (await app.request("/results")).text();
    assert.match(html, /data-status="closed"/);
    assert.match(html, /AAP wins/, "NOTA has more votes but never wins");
  });
});

Deno.test("GET /results announces a tie as a tie", async () => {
  await withApp(2, async ({ app, store }) => {
    await store.cast(ballot(1, "bjp"));
    await store.cast(ballot(2, "congress"));
    const html = await (await app.request("/results")).text();
    assert.match(html, /A tie between BJP and Congress/);
  });
});

Deno.test("GET /fonts/… serves the Devanagari font from its npm package, and nothing else", async () => {
  await withApp(null, async ({ app }) => {
    for (const weight of ["400", "700"]) {
      const res = await app.request(`/fonts/5.3.0/noto-sans-devanagari-${weight}.woff2`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "font/woff2");
      const bytes = new Uint8Array(await res.arrayBuffer());
      assert.equal(new TextDecoder().decode(bytes.slice(0, 4)), "wOF2");
      assert.ok(bytes.length > 10_000 && bytes.length < 80_000, `${bytes.length} bytes`);
    }
    for (const path of ["/fonts/5.3.0/..%2Fpackage.json", "/fonts/5.3.0/constructor"]) {
      const res = await app.request(path);
      assert.equal(res.status, 404, path);
      await res.body?.cancel();
    }
    const page = await (await app.request("/")).text();
    assert.match(page, /<link rel="stylesheet" href="\/build\/fonts-[0-9a-f]{12}\.css"/);
  });
});

Deno.test("a kiosk stays a kiosk without JavaScript: through both posts and the language switch", async () => {
  await withApp(null, async ({ app, store }) => {
    const booth = await (await app.request("/?kiosk")).text();
    // The language switch keeps the booth a kiosk.
    assert.match(booth, /class="language-switch" href="\/\?kiosk&amp;lang=hi"/);
    const hindi = await (await app.request("/?kiosk&lang=hi")).text();
    assert.match(hindi, /class="language-switch" href="\/\?kiosk&amp;lang=en"/);
    // Follow the forms' own addresses, as a browser does.
    const boothAction = booth.match(/<form class="booth card" method="post" action="([^"]+)"/)?.[1];
    assert.equal(boothAction, "/vote?kiosk");
    const confirm = await (await app.request(boothAction, form({ ...VOTER, party: "nota" })))
      .text();
    const confirmAction = confirm.match(/<form class="confirm-form" method="post" action="([^"]+)"/)
      ?.[1];
    assert.equal(confirmAction, "/vote?kiosk");
    const token = confirm.match(/name="token" value="([0-9a-f]{32})"/)?.[1];
    assert.ok(token);
    const res = await app.request(
      confirmAction,
      form({ ...VOTER, party: "nota", token, step: "confirm" }),
    );
    assert.equal(res.status, 303);
    assert.match(res.headers.get("location")!, /^\/receipt\/[0-9A-Z-]{14}\?kiosk$/);
    assert.equal(store.snapshot().total, 1);
    // A mistake answers with the form again, still posting as a kiosk.
    const again =
      await (await app.request("/vote?kiosk", form({ ...VOTER, voterId: "", party: "bjp" })))
        .text();
    assert.match(again, /<form class="booth card" method="post" action="\/vote\?kiosk"/);
    assert.match(again, /class="language-switch" href="\/\?kiosk&amp;lang=hi"/);
  });
});

Deno.test("a kiosk's receipt page goes back to the booth and keeps the kiosk in the other language", async () => {
  await withApp(null, async ({ app }) => {
    const { res } = await castByForm(app, { ...VOTER, party: "bjp" });
    const location = res.headers.get("location")!;
    const slipCookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
    const slip = await app.request(`${location}?kiosk`, { headers: { cookie: slipCookie } });
    const during = (slip.headers.getSetCookie().find((c) => c.startsWith("kiosk_slip=")) ?? "")
      .split(";")[0];
    assert.match(during, /^kiosk_slip=/);
    await slip.body?.cancel();
    // Opened again during the slip (a language switched): the code, and still back to the booth.
    const html = await (await app.request(`${location}?kiosk&lang=hi`, {
      headers: { cookie: during },
    })).text();
    assert.match(html, /http-equiv="refresh" content="7;url=\/\?kiosk"/);
    assert.match(
      html,
      new RegExp(`class="language-switch" href="${location}\\?kiosk&amp;lang=en"`),
    );
  });
});

Deno.test("Back after a vote without JavaScript resends the party's step: it leads to the receipt, never the choice", async () => {
  await withApp(null, async ({ app, store }) => {
    // The booth as a browser without JavaScript gets it: its form's fields, hidden ones included.
    const booth = await (await app.request("/")).text();
    const hidden = Object.fromEntries(
      [...booth.matchAll(/<input type="hidden" name="([a-z]+)" value="([^"]*)"/g)].map((
        m,
      ) => [m[1], m[2]]),
    );
    const first = { ...hidden, ...VOTER, party: "aap" };
    const confirm = await (await app.request("/vote", form(first))).text();
    assert.match(confirm, /data-confirm="aap"/);
    const token = confirm.match(/name="token" value="([0-9a-f]{32})"/)?.[1];
    assert.ok(token);
    const res = await app.request("/vote", form({ ...first, token, step: "confirm" }));
    assert.equal(res.status, 303);
    const location = res.headers.get("location")!;
    // Back from the receipt: Chromium posts the party's step again, with the very same body.
    const back = await app.request("/vote", form(first));
    assert.equal(back.status, 303, "the repeated first step goes to the receipt");
    assert.equal(back.headers.get("location"), location);
    assert.doesNotMatch(await back.text(), /AAP|data-confirm/);
    assert.equal(store.snapshot().total, 1);
  });
});

Deno.test("a booth form over the body limit gets a page in the voter's language, the API its JSON in it", async () => {
  await withApp(null, async ({ app, store }) => {
    // A long text pasted into the address, without JavaScript: over the 16 KiB every route takes.
    const fields = { ...VOTER, address: "मकान ".repeat(2000), party: "aap" };
    for (const [locale, words] of [["en", /too large/], ["hi", /बहुत बड़ा/]] as const) {
      const res = await app.request("/vote", {
        ...form(fields),
        headers: { ...form({}).headers, accept: "text/html", "accept-language": locale },
      });
      assert.equal(res.status, 413, locale);
      assert.match(res.headers.get("content-type") ?? "", /^text\/html/, locale);
      const html = await res.text();
      assert.match(html, new RegExp(`<html lang="${locale}"`));
      assert.match(html, /<title>(Error|त्रुटि): /);
      assert.match(html, words, locale);
      assert.match(html, /href="\/"/, "a way back to the booth");
      assert.doesNotMatch(html, /"error"|KiB/);
      const api = await app.request("/api/votes", {
        method: "POST",
        headers: { "content-type": "application/json", "accept-language": locale },
        body: JSON.stringify({ ...ballot(9), address: "x".repeat(20_000) }),
      });
      assert.equal(api.status, 413);
      const { error } = await api.json();
      assert.equal(error.code, "payload_too_large");
      assert.match(error.message, words, `the API's message in ${locale}`);
    }
    assert.equal(store.snapshot().total, 0);
  });
});

Deno.test("a kiosk's booth form over the body limit keeps ?kiosk in its way back and its language switch", async () => {
  await withApp(null, async ({ app, store }) => {
    const fields = { ...VOTER, address: "मकान ".repeat(2000), party: "aap" };
    for (const locale of ["en", "hi"] as const) {
      const res = await app.request("/vote?kiosk", {
        ...form(fields),
        headers: { ...form({}).headers, accept: "text/html", "accept-language": locale },
      });
      assert.equal(res.status, 413, locale);
      const html = await res.text();
      const other = locale === "en" ? "hi" : "en";
      assert.match(html, new RegExp(`class="language-switch" href="/\\?kiosk&amp;lang=${other}"`));
      assert.match(html, /<li><a href="\/\?kiosk">/, "the way back leads to the kiosk's booth");
    }
    assert.equal(store.snapshot().total, 0);
  });
});

Deno.test("a kiosk's booth lets the browser keep none of a voter's details for the next person", async () => {
  await withApp(null, async ({ app }) => {
    // Chromium restores a field's text on Back unless the field says autocomplete="off": the next
    // person at a kiosk pressing Back twice after a vote found the previous voter's name and address.
    for (const page of ["/?kiosk", "/?kiosk&lang=hi"]) {
      const html = await (await app.request(page)).text();
      const fields = [...html.matchAll(/<input [^>]*name="(name|age|address|voterId)"[^>]*>/g)];
      assert.equal(fields.length, 4, page);
      for (const [input, name] of fields) {
        assert.match(input, /autocomplete="off"/, `${page}: ${name}`);
      }
    }
    // A personal device still offers its owner's name and address.
    const own = await (await app.request("/")).text();
    assert.match(own, /name="name"[^>]*autocomplete="name"/);
  });
});

Deno.test("a voter's first step sent again after a restart (its token forgotten) never shows their choice", async () => {
  await withApp(null, async ({ app, store, restart }) => {
    const booth = await (await app.request("/")).text();
    const token = booth.match(/name="token" value="([0-9a-f]{32})"/)?.[1];
    assert.ok(token);
    const first = { ...VOTER, token, party: "aap" };
    const confirm = await (await app.request("/vote", form(first))).text();
    assert.match(confirm, /data-confirm="aap"/);
    const res = await app.request("/vote", form({ ...first, step: "confirm" }));
    assert.equal(res.status, 303);
    const location = res.headers.get("location")!;
    // What the browser keeps: the cookies the vote set (the slip's is for /receipt/ only).
    const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    assert.doesNotMatch(
      cookie.replace(/slip=[^;]*/, ""),
      /aap/i,
      "no cookie for /vote names the party",
    );
    // The next person at the shared device: Back, then Reload, to a server that restarted (or to
    // another instance behind the proxy), which has never seen the token.
    for (const locale of ["en", "hi"]) {
      const back = await restart().request("/vote", {
        ...form(first),
        headers: { ...form({}).headers, "accept-language": locale, cookie },
      });
      const html = await back.text();
      assert.doesNotMatch(html, /\bAAP\b|data-confirm/, `the previous voter's choice (${locale})`);
      assert.equal(back.status, 303, "the repeated first step goes to the receipt");
      assert.equal(back.headers.get("location"), location);
    }
    assert.equal(store.snapshot().total, 1);
  });
});

Deno.test("the closed dashboard's audit log head is in the reader's language", async () => {
  await withApp(1, async ({ app }) => {
    const { res } = await castByForm(app, { ...VOTER, party: "bjp" });
    assert.equal(res.status, 303);
    const english = await (await app.request("/results")).text();
    assert.match(english, /Audit log head \(entry \d+\): <code>[0-9a-f]{64}<\/code>\. Keep it/);
    const hindi = await (await app.request("/results?lang=hi")).text();
    const head = hindi.match(/<p class="audit-head">(.*?)<\/p>/)?.[1] ?? "";
    assert.match(head, /<code>[0-9a-f]{64}<\/code>/);
    assert.doesNotMatch(head, /Audit|Keep it/, "no English on the Hindi dashboard");
    assert.match(head, /ऑडिट लॉग/);
  });
});

Deno.test("the receipt check's language switch keeps the code asked about", async () => {
  await withApp(null, async ({ app }) => {
    const html = await (await app.request("/check?code=k7qh%202m9d&lang=en")).text();
    assert.match(html, /class="language-switch" href="\/check\?code=k7qh%202m9d&amp;lang=hi"/);
    const empty = await (await app.request("/check")).text();
    assert.match(empty, /class="language-switch" href="\/check\?lang=hi"/);
  });
});

Deno.test("the header's focus order follows what is seen: brand, language switch, then the navigation", async () => {
  await withApp(null, async ({ app }) => {
    // static/css/app.css draws the switch before the navigation at every width (`order`), so the
    // keyboard must reach it there too.
    const html = await (await app.request("/")).text();
    const header = html.match(/<header class="site-header">.*?<\/header>/s)?.[0] ?? "";
    const at = (what: string) => header.indexOf(what);
    assert.ok(at('class="brand"') >= 0 && at("data-language-switch") >= 0 && at("<nav") >= 0);
    assert.ok(at('class="brand"') < at("data-language-switch"));
    assert.ok(at("data-language-switch") < at("<nav"), "the switch comes before the navigation");
  });
});

Deno.test("a kiosk stays a kiosk when a voter follows a link without the mark, until ?kiosk=off", async () => {
  await withApp(null, async ({ app }) => {
    const first = await app.request("/?kiosk");
    const cookie = (first.headers.get("set-cookie") ?? "").split(";")[0];
    assert.equal(cookie, "kiosk=1");
    await first.body?.cancel();
    // The header's links (Vote, Results, Check) carry no mark: the device remembers it.
    const booth = await (await app.request("/", { headers: { cookie } })).text();
    assert.match(booth, /<form class="booth card" method="post" action="\/vote\?kiosk"/);
    const { res } = await castByForm(app, { ...VOTER, party: "aap" }, { cookie });
    const location = res.headers.get("location")!;
    const slip = (res.headers.get("set-cookie") ?? "").split(";")[0];
    const receipt =
      await (await app.request(location, { headers: { cookie: `${cookie}; ${slip}` } }))
        .text();
    assert.match(receipt, /http-equiv="refresh" content="7;url=\/\?kiosk"/);
    // Back to the receipt after its slip (the one-use slip cookie gone): the booth, not the code.
    const back = await app.request(location, { headers: { cookie } });
    assert.equal(back.status, 303);
    assert.equal(back.headers.get("location"), "/?kiosk");
    // `?kiosk=off` makes the device personal again.
    const off = await app.request("/?kiosk=off", { headers: { cookie } });
    assert.match(off.headers.get("set-cookie") ?? "", /^kiosk=;.*Max-Age=0/i);
    assert.match(await off.text(), /<form class="booth card" method="post" action="\/vote"/);
  });
});

Deno.test("a browser asking for the result files before the close gets a page saying when they come", async () => {
  await withApp(null, async ({ app }) => {
    const page = await app.request("/results/result.csv", {
      headers: { accept: "text/html", "accept-language": "hi" },
    });
    assert.equal(page.status, 404);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    assert.match(await page.text(), /lang="hi"/);
    const api = await app.request("/results/result.csv");
    assert.equal(api.status, 404);
    assert.equal((await api.json()).error.code, "not_found");
  });
});
