/**
 * `deno task build`: renders the party logos into static/logos/cache/ and
 * builds the island bundles and style sheets into static/build/, so that the
 * server itself needs neither `--allow-run` (the bundler) nor `--allow-ffi`
 * (imagescript). `deno task start` runs it first.
 *
 *   deno task build                      the default ballot's logos, the bundles when stale
 *   deno task build --parties FILE       also the logos of a parties file (repeatable)
 *   deno task build --force              rebuild the bundles even when up to date
 *
 * It also makes the audit log's key (`~/.config/matdaan/audit.key`) when
 * none is configured, since the server may write only to data/.
 *
 * Renders of other ballots stay in the cache (several ballots may share party
 * ids); delete static/logos/cache/ to clear it, the next build renders again.
 */
import { parseArgs } from "node:util";
import { buildBundles, BuildError, ensureBundles } from "../runtime/bundles.ts";
import { LogoError, prepareLogos } from "../lib/logos/logos.ts";
import { DEFAULT_PARTIES, PartiesFileError, readPartiesFile } from "../lib/election/parties.ts";
import { auditKey } from "../lib/admin/audit_key.ts";

function fail(message: string, status: 1 | 2): never {
  console.error(`matdaan build: ${message}`);
  Deno.exit(status);
}

let args;
try {
  args = parseArgs({
    args: Deno.args,
    options: { parties: { type: "string", multiple: true }, force: { type: "boolean" } },
  }).values;
} catch (e) {
  fail(`${(e as Error).message} (options: --parties FILE, --force)`, 2);
}

try {
  auditKey();
  const ballots = [DEFAULT_PARTIES];
  for (const file of args.parties ?? []) ballots.push(await readPartiesFile(file));
  for (const parties of ballots) await prepareLogos(parties, undefined, { prune: false });
  console.log("Logos rendered into static/logos/cache/.");
  const manifest = args.force ? await buildBundles() : (await ensureBundles()).manifest;
  for (const [name, url] of Object.entries({ ...manifest.islands, ...manifest.css })) {
    console.log(`${name.padEnd(12)} ${url}`);
  }
} catch (e) {
  if (e instanceof PartiesFileError) fail(e.message, 2);
  if (e instanceof LogoError || e instanceof BuildError) fail(e.message, 1);
  throw e;
}
