import assert from "node:assert/strict";
import { Image } from "imagescript";
import { LOGO_SIZES, LogoError, prepareLogos, renderLogo } from "../lib/logos/logos.ts";
import { DEFAULT_PARTIES } from "../lib/election/parties.ts";
import { runMain } from "./_server.ts";

const BJP_SVG = new URL("../static/logos/bjp.svg", import.meta.url).pathname;

async function decode(png: Uint8Array): Promise<Image> {
  return await Image.decode(png);
}

function alphaAt(image: Image, x: number, y: number): number {
  return image.getPixelAt(x + 1, y + 1) & 0xff;
}

Deno.test("renderLogo() renders each default SVG logo as an opaque-centred square PNG", async () => {
  for (const party of DEFAULT_PARTIES) {
    const svg = await Deno.readFile(new URL(`../${party.logo}`, import.meta.url));
    for (const size of LOGO_SIZES) {
      const image = await decode(await renderLogo(svg, size));
      assert.equal(image.width, size, party.id);
      assert.equal(image.height, size, party.id);
      assert.equal(alphaAt(image, size / 2, size / 2), 255, party.id);
      assert.equal(alphaAt(image, 0, 0), 0, `${party.id} corner is transparent`);
    }
  }
});

Deno.test("renderLogo() fits a wide PNG into the square, keeping its proportions", async () => {
  const wide = new Image(400, 200).fill(0xff0000ff);
  const image = await decode(await renderLogo(await wide.encode(), 64));
  assert.equal(image.width, 64);
  assert.equal(alphaAt(image, 32, 5), 0, "band above the picture is empty");
  assert.equal(image.getPixelAt(33, 33), 0xff0000ff, "middle is the picture's red");
});

Deno.test("renderLogo() resizes a JPEG", async () => {
  const photo = new Image(90, 90).fill(0x1e88e5ff);
  const image = await decode(await renderLogo(await photo.encodeJPEG(90), 128));
  assert.equal(image.width, 128);
  const [r, g, b] = Image.colorToRGBA(image.getPixelAt(64, 64));
  assert.ok(Math.abs(r - 0x1e) < 8 && Math.abs(g - 0x88) < 8 && Math.abs(b - 0xe5) < 8);
});

Deno.test("renderLogo() refuses data that is not an image, and broken images", async () => {
  await assert.rejects(
    () => renderLogo(new TextEncoder().encode("hello"), 64),
    (e) => e instanceof LogoError && /not a PNG, JPEG or SVG/.test(e.message),
  );
  const broken = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
  await assert.rejects(
    () => renderLogo(broken, 64),
    (e) => e instanceof LogoError && /PNG image cannot be read/.test(e.message),
  );
});

Deno.test("prepareLogos() caches renders and renders again when a source changes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-logos-" });
  try {
    const source = `${dir}/a.svg`;
    const svg = (fill: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="${fill}"/></svg>`;
    await Deno.writeTextFile(source, svg("#ff0000"));
    const parties = [{ id: "a", name: "A", color: "#ff0000", logo: source }];
    const first = await prepareLogos(parties, `${dir}/cache`);
    assert.match(first.a[64], /^\/static\/logos\/cache\/a-64-[0-9a-f]{12}\.png$/);
    const file = `${dir}/cache/${first.a[128].split("/").pop()}`;
    const mtime = (await Deno.stat(file)).mtime;
    const again = await prepareLogos(parties, `${dir}/cache`);
    assert.deepEqual(again, first);
    assert.deepEqual((await Deno.stat(file)).mtime, mtime, "the cached file is reused");
    await Deno.writeTextFile(source, svg("#00ff00"));
    const changed = await prepareLogos(parties, `${dir}/cache`);
    assert.notEqual(changed.a[128], first.a[128]);
    await assert.rejects(() => Deno.stat(file), Deno.errors.NotFound, "the old render is removed");
    const png = await decode(
      await Deno.readFile(`${dir}/cache/${changed.a[128].split("/").pop()}`),
    );
    assert.equal(png.getPixelAt(64, 64), 0x00ff00ff);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the server refuses to start with a missing or broken logo and names the file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "matdaan-logos-" });
  try {
    await Deno.writeTextFile(`${dir}/broken.png`, "not really a png");
    const parties = (logo: string) =>
      JSON.stringify([
        { id: "a", name: "A", color: "#112233", logo: BJP_SVG },
        { id: "b", name: "B", color: "#445566", logo },
      ]);
    await Deno.writeTextFile(`${dir}/missing.json`, parties("nowhere.png"));
    await Deno.writeTextFile(`${dir}/broken.json`, parties("broken.png"));
    const missing = await runMain(["--db", `${dir}/m.db`, "--parties", `${dir}/missing.json`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /logo of party b, .*nowhere\.png, cannot be read/);
    const broken = await runMain(["--db", `${dir}/b.db`, "--parties", `${dir}/broken.json`]);
    assert.equal(broken.code, 1);
    assert.match(
      broken.stderr,
      /logo of party b, .*broken\.png: it is not a PNG, JPEG or SVG image/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the server's module graph (main.ts, app.ts, routes, components) never loads imagescript", async () => {
  for (const entry of ["main.ts", "app.ts"]) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", entry],
      cwd: new URL("..", import.meta.url).pathname,
      stdin: "null",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const info = JSON.parse(new TextDecoder().decode(out.stdout));
    const modules: string[] = info.modules.map((m: { specifier: string }) => m.specifier);
    assert.ok(modules.some((m) => m.endsWith("/routes/booth.tsx")), `${entry}: the graph was read`);
    assert.ok(modules.some((m) => m.endsWith("/lib/logos/party_views.ts")));
    // (`npmPackages` lists the whole lock file; `modules` is the graph itself.)
    assert.deepEqual(modules.filter((m) => /imagescript|\/lib\/logos\/logos\.ts$/.test(m)), []);
  }
});
