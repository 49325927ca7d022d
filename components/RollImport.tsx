/**
 * The admin panel's roll import pages (server-only, plain forms: no
 * JavaScript needed): the upload form, the preview, the refusal with its
 * per-line problems, and the result with the one-time downloads.
 */
import { rollText, type RollWordKey } from "../lib/i18n/roll_words.ts";
import { formatNumber, type Locale } from "../lib/i18n/format.ts";
import type { RollDownload, RollPreview } from "../lib/admin/roll_uploads.ts";
import type { RollEntry } from "../lib/election/roll.ts";
import { describeRollProblem } from "../lib/election/roll_problems.ts";

/** A size in bytes as the form shows it, e.g. "64 MiB". */
export function sizeText(locale: Locale, bytes: number): string {
  return bytes >= 1 << 20
    ? `${formatNumber(locale, Math.floor(bytes / (1 << 20)))} MiB`
    : `${formatNumber(locale, Math.ceil(bytes / 1024))} KiB`;
}

function Back({ locale }: { locale: Locale }) {
  return (
    <p>
      <a href="/admin">{rollText(locale, "roll_back")}</a>
    </p>
  );
}

/** Props: the language, the size limit in bytes. */
export function RollImportForm({ locale, maxBytes }: { locale: Locale; maxBytes: number }) {
  const t = (key: RollWordKey, params?: Record<string, string | number>) =>
    rollText(locale, key, params);
  return (
    <section class="card" aria-labelledby="roll-import-title">
      <h1 id="roll-import-title">{t("roll_import_title")}</h1>
      <p>{t("roll_import_intro")}</p>
      <p class="hint">{t("roll_import_once")}</p>
      <form method="post" action="/admin/roll/upload" enctype="multipart/form-data">
        <label for="roll-file">{t("roll_import_file", { size: sizeText(locale, maxBytes) })}</label>
        <input id="roll-file" name="roll" type="file" accept=".csv,text/csv" required />
        <fieldset>
          <legend>{t("roll_import_codes_legend")}</legend>
          <label>
            <input type="radio" name="codes" value="yes" checked /> {t("roll_import_codes_yes")}
          </label>
          <label>
            <input type="radio" name="codes" value="no" /> {t("roll_import_codes_no")}
          </label>
        </fieldset>
        <button type="submit">{t("roll_import_upload")}</button>
      </form>
      <Back locale={locale} />
    </section>
  );
}

/** Props: the language, a message key, and its placeholders; `alert` for errors. */
export function RollMessage(
  { locale, title, message, params }: {
    locale: Locale;
    title: RollWordKey;
    message: RollWordKey;
    params?: Record<string, string | number>;
  },
) {
  return (
    <section class="card" aria-labelledby="roll-message-title">
      <h1 id="roll-message-title">{rollText(locale, title)}</h1>
      <p class="field-error" role="alert">{rollText(locale, message, params)}</p>
      <Back locale={locale} />
    </section>
  );
}

function Sample({ locale, rows }: { locale: Locale; rows: RollEntry[] }) {
  const t = (key: RollWordKey) => rollText(locale, key);
  return (
    // A scrolling box is a region keyboard users can focus to scroll it.
    <div class="table-scroll" role="region" aria-label={t("roll_preview_sample")} tabIndex={0}>
      <table class="register roll-sample">
        <caption>{t("roll_preview_sample")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("roll_col_voterId")}</th>
            <th scope="col">{t("roll_col_name")}</th>
            <th scope="col">{t("roll_col_age")}</th>
            <th scope="col">{t("roll_col_address")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.voterId}>
              <td>{r.voterId}</td>
              <td>{r.name}</td>
              <td>{formatNumber(locale, r.age)}</td>
              <td>{r.address}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Props: the language and the preview of an upload. */
export function RollPreviewView({ locale, preview }: { locale: Locale; preview: RollPreview }) {
  const t = (key: RollWordKey, params?: Record<string, string | number>) =>
    rollText(locale, key, params);
  if (!preview.ok) {
    const more = preview.total - preview.problems.length;
    return (
      <section class="card" aria-labelledby="roll-problems-title">
        <h1 id="roll-problems-title">{t("roll_problems_title")}</h1>
        <p role="alert">
          {t("roll_problems_intro", { file: preview.filename || "CSV", total: preview.total })}
        </p>
        <ul class="roll-problems">
          {preview.problems.map((p, i) => <li key={i}>{describeRollProblem(locale, p)}</li>)}
        </ul>
        {more > 0 && <p>{t("roll_problems_more", { more })}</p>}
        <p>
          <a href="/admin/roll/import">{t("roll_import_title")}</a>
        </p>
      </section>
    );
  }
  return (
    <section class="card roll-import-card" aria-labelledby="roll-preview-title">
      <h1 id="roll-preview-title">{t("roll_preview_title")}</h1>
      <p>{t("roll_preview_ok", { file: preview.filename || "CSV", voters: preview.voters })}</p>
      <p>{t(preview.codes ? "roll_preview_codes" : "roll_preview_no_codes")}</p>
      <Sample locale={locale} rows={preview.sample} />
      <p class="hint">{t("roll_import_once")}</p>
      <form method="post" action="/admin/roll/confirm">
        <input type="hidden" name="token" value={preview.token} />
        <button type="submit">{t("roll_confirm", { voters: preview.voters })}</button>
      </form>
      <form method="post" action="/admin/roll/discard">
        <input type="hidden" name="token" value={preview.token} />
        <button type="submit" class="secondary">{t("roll_discard")}</button>
      </form>
    </section>
  );
}

/** Props: the language, the roll's size, and the files to download once. */
export function RollDoneView(
  { locale, voters, downloads }: { locale: Locale; voters: number; downloads: RollDownload[] },
) {
  const t = (key: RollWordKey, params?: Record<string, string | number>) =>
    rollText(locale, key, params);
  return (
    <section class="card" aria-labelledby="roll-done-title">
      <h1 id="roll-done-title">{t("roll_done_title")}</h1>
      <p role="status">{t("roll_done_text", { voters })}</p>
      {downloads.length > 0 && (
        <>
          <p>{t("roll_done_downloads")}</p>
          <ul class="exports">
            {downloads.map((d) => (
              <li key={d.id}>
                <a href={`/admin/roll/download/${d.id}`} download>
                  {t(d.kind === "codes" ? "roll_download_codes" : "roll_download_slips")}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <Back locale={locale} />
    </section>
  );
}

/** Props: the language. The panel's section while the election has no roll. */
export function RollImportCard({ locale }: { locale: Locale }) {
  return (
    <section class="card" aria-labelledby="roll-card-title">
      <h2 id="roll-card-title">{rollText(locale, "roll_import_title")}</h2>
      <p>{rollText(locale, "roll_import_open")}</p>
      <p>
        <a href="/admin/roll/import">{rollText(locale, "roll_import_link")}</a>
      </p>
    </section>
  );
}
