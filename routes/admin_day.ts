/**
 * The election day's admin actions, beside `/admin/close`: `POST /admin/open`
 * (open voting before its time, or when it waits for the administrator),
 * `POST /admin/mock-poll` (start a mock poll before the opening) and
 * `POST /admin/mock-poll/clear` (remove its votes; the result goes to the
 * audit log). A form post is answered by the panel (again, with the error
 * and its status, when refused); a JSON client gets the tally or the error.
 */
import { Hono } from "hono";
import type { Context } from "hono";
import type { AdminAuth } from "../lib/admin/admin_auth.ts";
import type { AuditTrail } from "../lib/admin/audit_log.ts";
import { VoteError } from "../lib/election/errors.ts";
import type { ElectionStore } from "../lib/store/store.ts";
import { clientAddress, requireAdmin } from "./_admin_session.ts";
import { statusOf } from "./_errors.ts";

/** What the election day's actions need; `panel` renders the admin page with a refusal. */
export interface ElectionDayDeps {
  store: ElectionStore;
  auth: AdminAuth;
  audit: AuditTrail;
  panel: (c: Context, error: VoteError) => Promise<string>;
}

function isFormPost(c: Context): boolean {
  const type = c.req.header("content-type") ?? "";
  return type.startsWith("application/x-www-form-urlencoded") ||
    type.startsWith("multipart/form-data");
}

/** The election day's admin routes (mounted at `/admin`). */
export function electionDay(deps: ElectionDayDeps): Hono {
  const { store, auth, audit } = deps;

  /** Runs an action, records it, and answers as the client asked. */
  async function act(
    c: Context,
    run: () => Promise<{ event: string; detail?: Record<string, unknown> }>,
  ) {
    const form = isFormPost(c);
    try {
      const { event, detail } = await run();
      audit.append({ actor: "admin", address: clientAddress(c), event, detail });
      return form ? c.redirect("/admin", 303) : c.json(store.snapshot());
    } catch (e) {
      if (!(e instanceof VoteError) || !form) throw e;
      return c.html(await deps.panel(c, e), statusOf(e));
    }
  }

  return new Hono()
    .post("/open", requireAdmin(auth), (c) =>
      act(c, async () => {
        await store.open();
        return { event: "open", detail: { by: "admin" } };
      }))
    .post("/mock-poll", requireAdmin(auth), (c) =>
      act(c, async () => {
        await store.startMockPoll();
        return { event: "mock-poll-start" };
      }))
    .post("/mock-poll/clear", requireAdmin(auth), (c) =>
      act(c, async () => {
        const parties = await store.clearMockPoll();
        const total = Object.values(parties).reduce((a, b) => a + b, 0);
        return { event: "mock-poll-clear", detail: { total, parties } };
      }));
}
