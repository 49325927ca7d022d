import assert from "node:assert/strict";
import { signal } from "@preact/signals";
import { Island, serialiseProps } from "../runtime/Island.tsx";
import { renderPage } from "../components/Layout.tsx";
import type { BuildManifest } from "../runtime/manifest.ts";

function Greeting({ who }: { who: string }) {
  return <p class="greeting">Hello {who}</p>;
}

const assets: BuildManifest = {
  sourceHash: "x",
  islands: { Greeting: "/build/Greeting-abc.js" },
  css: { app: "/build/app-def.css" },
};

Deno.test("serialiseProps() escapes </script and <!-- so props cannot end the script", () => {
  const json = serialiseProps({ text: "</script><script>alert(1)</script><!-- x" });
  assert.ok(!json.includes("</script"));
  assert.ok(!json.includes("<!--"));
  assert.deepEqual(JSON.parse(json), {
    props: { text: "</script><script>alert(1)</script><!-- x" },
    signals: [],
  });
});

Deno.test("serialiseProps() sends signals by value and names them", () => {
  const json = serialiseProps({ count: signal(3), label: "n" });
  assert.deepEqual(JSON.parse(json), { props: { count: 3, label: "n" }, signals: ["count"] });
});

Deno.test("serialiseProps() refuses functions and class instances", () => {
  assert.throws(() => serialiseProps({ onClick: () => {} }), /onClick/);
  assert.throws(() => serialiseProps({ when: new Date() }), /when/);
  assert.throws(() => serialiseProps({ n: NaN }), /n/);
});

Deno.test("renderPage() marks an island and loads only that island's script", () => {
  const html = renderPage(
    <section>
      <Island of={Greeting} props={{ who: "<!--Asha" }} />
    </section>,
    { title: "Test", assets },
  );
  assert.match(html, /^<!DOCTYPE html><html lang="en">/);
  assert.match(
    html,
    /<div data-island="Greeting" class="island"><p class="greeting">Hello &lt;!--Asha<\/p><\/div>/,
  );
  assert.match(
    html,
    /<script type="application\/json" data-island-props>\{"props":\{"who":"\\u003c!--Asha"\}/,
  );
  assert.match(html, /<script type="module" src="\/build\/Greeting-abc.js"><\/script>/);
  assert.match(html, /<link rel="stylesheet" href="\/build\/app-def.css"\/>/);
});

Deno.test("renderPage() ships no JavaScript for a page without islands", () => {
  const html = renderPage(<p>Static</p>, { title: "Plain", assets });
  assert.ok(!html.includes("<script"));
});

Deno.test("renderPage() refuses an island missing from the build", () => {
  assert.throws(
    () =>
      renderPage(<Island of={Greeting} props={{ who: "x" }} />, {
        title: "T",
        assets: { ...assets, islands: {} },
      }),
    /Island Greeting is not in the build/,
  );
});
