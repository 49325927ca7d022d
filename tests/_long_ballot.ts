/** The widest ballot a page must fit: the longest names a parties file allows, and a long address. */
import { prepareLogos } from "../lib/logos/logos.ts";
import { parseParties } from "../lib/election/parties.ts";
import { ballot } from "./_voters.ts";

/** Sixty characters, the longest party name a parties file allows, one unbroken. */
export const LONG_NAMES = [
  "Rashtriya Lok Kalyan Aur Vikas Morcha Sanyukt Jan Shakti Dal",
  "Supercalifragilisticexpialidociousunbrokenpartynamewithnoend",
];

/** An address with a long unbroken run, as people type them. */
export const LONG_ADDRESS = "Flat-" + "9".repeat(90) + "-TowerB,SectorTwentyFour,NaviMumbai";

/**
 * Writes a parties file of the long names (and NOTA) at `path`, with their
 * logos rendered, for `--parties`.
 */
export async function writeLongParties(path: string): Promise<void> {
  const logo = (id: string) => new URL(`../static/logos/${id}.svg`, import.meta.url).pathname;
  const parties = [
    { id: "long-a", name: LONG_NAMES[0], color: "#c62828", logo: logo("bjp"), symbol: "a flower" },
    { id: "long-b", name: LONG_NAMES[1], color: "#1565c0", logo: logo("aap") },
    { id: "nota", name: "NOTA", color: "#616161", logo: logo("nota") },
  ];
  await Deno.writeTextFile(path, JSON.stringify(parties));
  const dir = path.slice(0, path.lastIndexOf("/"));
  await prepareLogos(parseParties(parties, dir), undefined, { prune: false });
}

/** POSTs a vote for `long-b` by a voter with `LONG_ADDRESS` to a running server's `/api/votes`. */
export function sendLongVote(baseUrl: string): Promise<Response> {
  return fetch(`${baseUrl}/api/votes`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      ...ballot(1, "long-b"),
      name: "Asha Rao",
      age: 34,
      address: LONG_ADDRESS,
    }),
  });
}
