//! One self-contained HTML page per regio: inline CSS and SVG, no scripts,
//! no fonts or images from elsewhere — it opens from disk on a council
//! laptop without network, and prints.

use std::fmt::Write as _;

use super::table::{Cell, ColumnKind, Table, hidden_text, is_small};

const BLAUW: &str = "#1f5fa8";
const ORANJE: &str = "#e07b00";
const GRIJS: &str = "#6b6b6b";

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn pct(p: f64) -> String {
    format!("{p:.1}%").replace('.', ",")
}

fn per_mille(p: f64) -> String {
    format!("{p:.1}‰").replace('.', ",")
}

/// A count as shown: hidden when small.
fn count_text(n: i64, drempel: i64) -> String {
    if is_small(n, drempel) { hidden_text(drempel) } else { n.to_string() }
}

fn column_index(t: &Table, naam: &str) -> usize {
    t.kolommen.iter().position(|k| k.naam == naam).unwrap_or_else(|| panic!("report table {} has column {naam}", t.naam))
}

fn number_of(w: &Cell) -> Option<f64> {
    match w {
        Cell::Count(n) => Some(*n as f64),
        Cell::Percentage(p) | Cell::PerThousand(p) => Some(*p),
        _ => None,
    }
}

fn cell_text(w: &Cell) -> String {
    match w {
        Cell::Text(s) => s.clone(),
        Cell::Date(d) => d.format("%d-%m").to_string(),
        _ => String::new(),
    }
}

/// Horizontal bars; `None` draws no bar but says why. Reference lines for comparison.
fn bar_chart(items: &[(String, Option<f64>, String)], lijnen: &[(String, f64, &str)], kleur: &str) -> String {
    let max = items.iter().filter_map(|i| i.1).chain(lijnen.iter().map(|l| l.1)).fold(0.0_f64, f64::max).max(1e-9);
    let (links, breed, rij) = (190.0, 420.0, 24.0);
    let hoog = rij * items.len() as f64 + 40.0;
    let mut s =
        format!(r#"<svg viewBox="0 0 {} {hoog}" width="100%" role="img" xmlns="http://www.w3.org/2000/svg">"#, links + breed + 90.0);
    for (i, (label, waarde, toon)) in items.iter().enumerate() {
        let y = 10.0 + i as f64 * rij;
        let _ = write!(s, r#"<text x="{}" y="{}" text-anchor="end" font-size="12">{}</text>"#, links - 8.0, y + 15.0, esc(label));
        let w = waarde.map_or(0.0, |v| v / max * breed);
        if waarde.is_some() {
            let _ = write!(
                s,
                r#"<rect x="{links}" y="{}" width="{w:.1}" height="{}" fill="{kleur}"><title>{}</title></rect>"#,
                y + 3.0,
                rij - 8.0,
                esc(toon)
            );
        }
        let _ = write!(s, r#"<text x="{}" y="{}" font-size="12" fill="{GRIJS}">{}</text>"#, links + w + 6.0, y + 15.0, esc(toon));
    }
    let onder = 10.0 + rij * items.len() as f64;
    for (label, v, kleur) in lijnen {
        let x = links + v / max * breed;
        let _ = write!(
            s,
            r#"<line x1="{x:.1}" x2="{x:.1}" y1="6" y2="{onder}" stroke="{kleur}" stroke-width="2" stroke-dasharray="5,3"/><text x="{x:.1}" y="{}" font-size="11" fill="{kleur}" text-anchor="middle">{}</text>"#,
            onder + 14.0 + if *kleur == ORANJE { 12.0 } else { 0.0 },
            esc(label)
        );
    }
    s.push_str("</svg>");
    s
}

/// Vertical bars over time (weeks).
fn kolommen_tijd(items: &[(String, Option<f64>, String)], kleur: &str) -> String {
    let max = items.iter().filter_map(|i| i.1).fold(0.0_f64, f64::max).max(1.0);
    let (links, hoog, breed) = (40.0, 180.0, 640.0);
    let stap = breed / items.len().max(1) as f64;
    let mut s = format!(
        r#"<svg viewBox="0 0 {} {}" width="100%" role="img" xmlns="http://www.w3.org/2000/svg">"#,
        links + breed + 10.0,
        hoog + 50.0
    );
    let _ = write!(s, r#"<line x1="{links}" x2="{}" y1="{hoog}" y2="{hoog}" stroke="{GRIJS}"/>"#, links + breed);
    let _ = write!(s, r#"<text x="{}" y="12" font-size="11" fill="{GRIJS}" text-anchor="end">{max:.0}</text>"#, links - 4.0);
    for (i, (label, waarde, toon)) in items.iter().enumerate() {
        let x = links + i as f64 * stap;
        if let Some(v) = waarde {
            let h = v / max * (hoog - 10.0);
            let _ = write!(
                s,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{h:.1}" fill="{kleur}"><title>{}: {}</title></rect>"#,
                x + 2.0,
                hoog - h,
                stap - 4.0,
                esc(label),
                esc(toon)
            );
        } else {
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{}" font-size="9" fill="{GRIJS}" text-anchor="middle">{}</text>"#,
                x + stap / 2.0,
                hoog - 4.0,
                esc(toon)
            );
        }
        if (i % 4 == 0 && i + 3 < items.len()) || i + 1 == items.len() {
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{}" font-size="10" text-anchor="middle">{}</text>"#,
                x + stap / 2.0,
                hoog + 14.0,
                esc(label)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// Lines over teljaren.
fn line_chart(x: &[String], reeksen: &[(&str, &str, Vec<Option<f64>>)]) -> String {
    let max = reeksen.iter().flat_map(|r| r.2.iter().flatten()).fold(0.0_f64, |a, b| a.max(*b)).max(1.0) * 1.15;
    let (links, hoog, breed) = (50.0, 180.0, 560.0);
    let stap = if x.len() > 1 { breed / (x.len() - 1) as f64 } else { 0.0 };
    let mut s = format!(
        r#"<svg viewBox="0 0 {} {}" width="100%" role="img" xmlns="http://www.w3.org/2000/svg">"#,
        links + breed + 40.0,
        hoog + 60.0
    );
    for k in 0..=4 {
        let v = max * f64::from(k) / 4.0;
        let y = hoog - v / max * hoog + 10.0;
        let _ = write!(
            s,
            r##"<line x1="{links}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" font-size="10" text-anchor="end" fill="{GRIJS}">{}</text>"##,
            links + breed,
            links - 4.0,
            y + 3.0,
            esc(&pct(v))
        );
    }
    for (i, l) in x.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{}" font-size="10" text-anchor="middle">{}</text>"#,
            links + i as f64 * stap,
            hoog + 26.0,
            esc(l)
        );
    }
    for (n, (naam, kleur, waarden)) in reeksen.iter().enumerate() {
        let punten: Vec<String> = waarden
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", links + i as f64 * stap, hoog - v / max * hoog + 10.0)))
            .collect();
        let _ = write!(s, r#"<polyline points="{}" fill="none" stroke="{kleur}" stroke-width="2.5"/>"#, punten.join(" "));
        for p in &punten {
            let (px, py) = p.split_once(',').unwrap_or(("0", "0"));
            let _ = write!(s, r#"<circle cx="{px}" cy="{py}" r="3.5" fill="{kleur}"/>"#);
        }
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="12" height="12" fill="{kleur}"/><text x="{}" y="{}" font-size="12">{}</text>"#,
            links + 200.0 * n as f64,
            hoog + 38.0,
            links + 200.0 * n as f64 + 16.0,
            hoog + 48.0,
            esc(naam)
        );
    }
    s.push_str("</svg>");
    s
}

/// A protected table as HTML.
fn html_table(t: &Table, drempel: i64) -> String {
    let mut s = String::from("<table><thead><tr>");
    for k in &t.kolommen {
        let _ = write!(s, "<th>{}</th>", esc(&k.kop));
    }
    s.push_str("</tr></thead><tbody>");
    for r in &t.rijen {
        s.push_str("<tr>");
        for (w, k) in r.iter().zip(&t.kolommen) {
            let (cel, num) = match w {
                Cell::Text(x) => (esc(x), false),
                Cell::Count(n) => (n.to_string(), true),
                Cell::Percentage(p) => (pct(*p), true),
                Cell::PerThousand(p) => (per_mille(*p), true),
                Cell::Date(d) => (d.format("%d-%m-%Y").to_string(), false),
                Cell::Hidden => (esc(&hidden_text(drempel)), true),
                Cell::Empty => (String::new(), k.soort != ColumnKind::Text),
            };
            let _ = write!(s, "<td{}>{cel}</td>", if num { r#" class="n""# } else { "" });
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

pub struct Page<'a> {
    pub titel: String,
    pub ondertitel: String,
    pub drempel: i64,
    /// The protected tables (what is published).
    pub beschermd: &'a [Table],
    /// The same tables before protection, for regio totals (protected again when shown).
    pub ruw: &'a [Table],
    pub toelichting: &'a [(String, String)],
}

fn find_table<'a>(ts: &'a [Table], naam: &str) -> &'a Table {
    ts.iter().find(|t| t.naam == naam).unwrap_or_else(|| panic!("report table {naam}"))
}

// Long: one HTML page from top to bottom; its sections, split off, would pass the same dozen values around.
pub fn page(p: &Page) -> String {
    let d = p.drempel;
    let mut body = String::new();

    // 1. vsv per gemeente against the regio and all regio's
    let g = find_table(p.beschermd, "vsv_per_gemeente");
    let (naam, perc, vsv) = (column_index(g, "gemeentenaam"), column_index(g, "percentage"), column_index(g, "vsv"));
    let mut items = Vec::new();
    let mut refs = Vec::new();
    for r in &g.rijen {
        let label = cell_text(&r[naam]);
        match (label.as_str(), &r[perc]) {
            ("Regio", Cell::Percentage(v)) => refs.push((format!("regio {}", pct(*v)), *v, BLAUW)),
            ("Alle regio's", Cell::Percentage(v)) => refs.push((format!("alle regio's {}", pct(*v)), *v, ORANJE)),
            ("Regio" | "Alle regio's", _) => {}
            (_, Cell::Percentage(v)) => items.push((label, Some(*v), pct(*v))),
            (_, _) => items.push((label, None, format!("{} vsv'ers", cell_text_or_hidden(&r[vsv], d)))),
        }
    }
    let t = find_table(p.beschermd, "vsv");
    let _ = write!(
        body,
        "<section><h2>{}</h2><p>{}</p>{}</section>",
        esc(&g.titel),
        esc(&t.uitleg),
        if items.is_empty() {
            "<p><em>Geen deelnemers in de geladen leveringen.</em></p>".to_string()
        } else {
            bar_chart(&items, &refs, "#7fa7d9")
        }
    );

    // 2. trend
    let tr = find_table(p.beschermd, "vsv_trend");
    let (tj, pr, pa) = (column_index(tr, "teljaar"), column_index(tr, "percentage"), column_index(tr, "percentage_alle"));
    let x: Vec<String> = tr.rijen.iter().map(|r| cell_text(&r[tj])).collect();
    let regio: Vec<Option<f64>> = tr.rijen.iter().map(|r| number_of(&r[pr])).collect();
    let alle: Vec<Option<f64>> = tr.rijen.iter().map(|r| number_of(&r[pa])).collect();
    let _ = write!(
        body,
        "<section><h2>{}</h2><p>{}</p>{}</section>",
        esc(&tr.titel),
        esc(&tr.uitleg),
        // all regio's first, so that the regio's own line is on top where they coincide
        if x.is_empty() {
            "<p><em>Geen teljaren met deelnemers.</em></p>".to_string()
        } else {
            line_chart(&x, &[("Alle regio's", ORANJE, alle), ("Regio", BLAUW, regio)])
        }
    );

    // 3. leerplichttelling by leeftijdsband, regio totals from the raw table, protected when shown
    let l = find_table(p.ruw, "leerplichttelling");
    let band = column_index(l, "leeftijdsband");
    let cols =
        ["personen", "leerplichtig", "kwalificatieplichtig", "ingeschreven", "vrijstelling", "vervangende_leerplicht", "absoluut_verzuim"];
    let idx: Vec<usize> = cols.iter().map(|c| column_index(l, c)).collect();
    let mut banden: Vec<(String, Vec<i64>)> = Vec::new();
    for r in &l.rijen {
        let b = cell_text(&r[band]);
        let pos = banden.iter().position(|x| x.0 == b).unwrap_or_else(|| {
            banden.push((b.clone(), vec![0; cols.len()]));
            banden.len() - 1
        });
        for (j, &i) in idx.iter().enumerate() {
            banden[pos].1[j] += number_of(&r[i]).unwrap_or(0.0) as i64;
        }
    }
    let items: Vec<(String, Option<f64>, String)> = banden
        .iter()
        .map(|(b, v)| {
            let toon = count_text(v[0], d);
            (format!("{b} jaar"), (!is_small(v[0], d)).then_some(v[0] as f64), toon)
        })
        .collect();
    let mut table = String::from("<table><thead><tr><th>Leeftijd</th>");
    for k in idx.iter().map(|&i| &l.kolommen[i].kop) {
        let _ = write!(table, "<th>{}</th>", esc(k));
    }
    table.push_str("</tr></thead><tbody>");
    for (b, v) in &banden {
        let _ = write!(table, "<tr><td>{}</td>", esc(b));
        for n in v {
            let _ = write!(table, r#"<td class="n">{}</td>"#, esc(&count_text(*n, d)));
        }
        table.push_str("</tr>");
    }
    table.push_str("</tbody></table>");
    let _ = write!(
        body,
        "<section><h2>{}</h2><p>{}</p>{}{}</section>",
        esc(&l.titel),
        esc(&l.uitleg),
        bar_chart(&items, &[], "#8fbf8f"),
        table
    );

    // 4. signalen per week
    let w = find_table(p.beschermd, "signalen_per_week");
    let (pd, sg) = (column_index(w, "peildatum"), column_index(w, "signalen"));
    let items: Vec<(String, Option<f64>, String)> =
        w.rijen.iter().map(|r| (cell_text(&r[pd]), number_of(&r[sg]), cell_text_or_hidden(&r[sg], d))).collect();
    let _ = write!(
        body,
        "<section><h2>{}</h2><p>{}</p>{}</section>",
        esc(&w.titel),
        esc(&w.uitleg),
        if items.is_empty() { "<p><em>Geen wekelijkse leveringen geladen.</em></p>".to_string() } else { kolommen_tijd(&items, "#c0504d") }
    );

    // 5. vrijstellingen per artikel, regio totals
    let v = find_table(p.ruw, "vrijstellingen");
    let (art, pers) = (column_index(v, "artikel"), column_index(v, "personen"));
    let mut per: Vec<(String, i64)> = Vec::new();
    for r in &v.rijen {
        let a = cell_text(&r[art]);
        let n = number_of(&r[pers]).unwrap_or(0.0) as i64;
        match per.iter_mut().find(|x| x.0 == a) {
            Some(x) => x.1 += n,
            None => per.push((a, n)),
        }
    }
    per.sort();
    let items: Vec<(String, Option<f64>, String)> =
        per.iter().map(|(a, n)| (format!("artikel {a}"), (!is_small(*n, d)).then_some(*n as f64), count_text(*n, d))).collect();
    let _ = write!(
        body,
        "<section><h2>{}</h2><p>{}</p>{}</section>",
        esc(&v.titel),
        esc(&v.uitleg),
        if items.is_empty() { "<p><em>Geen vrijstellingen.</em></p>".to_string() } else { bar_chart(&items, &[], "#b7a1d1") }
    );

    // the published tables
    body.push_str("<section><h2>De cijfers per gemeente</h2>");
    for t in p
        .beschermd
        .iter()
        .filter(|t| ["vsv_per_gemeente", "leerplichttelling", "leerplichttelling_jaar", "oud_vsv"].contains(&t.naam.as_str()))
    {
        let _ = write!(body, "<h3>{}</h3>{}", esc(&t.titel), html_table(t, d));
    }
    body.push_str("</section><section><h2>Toelichting</h2><dl>");
    for (k, v) in p.toelichting {
        let _ = write!(body, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
    }
    body.push_str("</dl></section>");

    format!(
        r#"<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{titel}</title>
<style>
body {{ font-family: "Segoe UI", Arial, sans-serif; max-width: 980px; margin: 2em auto; padding: 0 1em; color: #222; }}
h1 {{ color: {BLAUW}; margin-bottom: 0.2em; }} .sub {{ color: {GRIJS}; margin-top: 0; }}
section {{ margin: 2.2em 0; page-break-inside: avoid; }} h2 {{ border-bottom: 2px solid {BLAUW}; padding-bottom: 0.2em; }}
table {{ border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }} th, td {{ border: 1px solid #ccc; padding: 0.25em 0.6em; }}
th {{ background: #d9e2f3; text-align: left; }} td.n {{ text-align: right; }} dt {{ font-weight: bold; margin-top: 0.6em; }}
</style></head>
<body><h1>{titel}</h1><p class="sub">{ondertitel}</p>
{body}
</body></html>
"#,
        titel = esc(&p.titel),
        ondertitel = esc(&p.ondertitel),
    )
}

fn cell_text_or_hidden(w: &Cell, drempel: i64) -> String {
    match w {
        Cell::Count(n) => n.to_string(),
        Cell::Hidden => hidden_text(drempel),
        Cell::Percentage(p) => pct(*p),
        Cell::PerThousand(p) => per_mille(*p),
        other => cell_text(other),
    }
}
