/** The result is worded once: the results board and the admin panel say the same. */
import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { TallyBoard } from "../components/TallyBoard.tsx";
import AdminPanel from "../islands/AdminPanel.tsx";
import type { PartyView, Tally } from "../lib/election/types.ts";
import { boardWords } from "../components/board_words.ts";
import { describeResult } from "../lib/election/describe_result.ts";
import { panelWords } from "../components/admin_words.ts";

const EN_WORDS = { words: boardWords("en"), locale: "en" as const };

const names = { left: "Left Front", right: "Right Alliance", centre: "Centre Party" };
const views: PartyView[] = Object.entries(names).map(([id, name]) => ({
  id,
  name,
  color: "#123456",
  logo: null,
}));

function closedTie(withNota: boolean): Tally {
  const parties = Object.entries(names).map(([id, name]) => ({ id, name, votes: 2 }));
  if (withNota) parties.push({ id: "nota", name: "NOTA", votes: 1 });
  return {
    status: "closed",
    total: parties.reduce((n, p) => n + p.votes, 0),
    limit: null,
    parties,
    closedReason: "admin",
    result: { winner: null, tie: ["left", "right", "centre"] },
    results: "live",
    step: { size: 10, published: 1 },
  };
}

function text(html: string): string {
  return html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
}

Deno.test("the results board and the admin panel word a three-way tie the same", () => {
  const tally = closedTie(false);
  const board = text(renderToString(<TallyBoard tally={tally} parties={views} {...EN_WORDS} />));
  const panel = text(renderToString(
    <AdminPanel
      tally={tally}
      latest={[]}
      locale="en"
      words={panelWords("en", { roll: false })}
      board={boardWords("en")}
    />,
  ));
  const said = "A tie between Left Front, Right Alliance and Centre Party";
  assert.ok(board.includes(said), board);
  assert.ok(panel.includes(said), panel);
});

Deno.test("the banner says NOTA cannot win only when NOTA is on the ballot", () => {
  const without = text(
    renderToString(<TallyBoard tally={closedTie(false)} parties={views} {...EN_WORDS} />),
  );
  assert.doesNotMatch(without, /NOTA/);
  const nota: PartyView = { id: "nota", name: "NOTA", color: "#616161", logo: null };
  const withNota = text(
    renderToString(<TallyBoard tally={closedTie(true)} parties={[...views, nota]} {...EN_WORDS} />),
  );
  assert.match(withNota, /NOTA is counted but cannot win\./);
});

Deno.test("describeResult() writes the limit of one vote in Devanagari digits in Hindi, as every other count", () => {
  const tally: Tally = {
    ...closedTie(false),
    limit: 1,
    total: 1,
    closedReason: "limit",
    result: { winner: "left", tie: [] },
  };
  const hi = describeResult(tally, boardWords("hi"), "hi")!;
  assert.match(hi.closed, /^१ वोट/);
  assert.doesNotMatch(hi.closed, /[0-9]/);
  assert.equal(
    describeResult(tally, boardWords("en"), "en")!.closed,
    "Voting closed at the limit of 1 vote.",
  );
});
