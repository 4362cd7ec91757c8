package report

// pageCSS is the report's stylesheet: reportCSS, then responsiveCSS.
const pageCSS = reportCSS + responsiveCSS

// responsiveCSS makes the report read on every screen, from a 360 px phone
// to a desktop, in a light or a dark theme, and keeps print light:
//
//   - the page never scrolls sideways: tables scroll in their own box
//     (.wide), names, statuses and dates never break inside a word, ARNs
//     stay on one line below 880 px (their table scrolls) and wrap above,
//     and cards wrap their values within their box;
//   - each chart is drawn twice, and one is shown: below 880 px the narrow
//     layout (a 380-unit viewBox), whose 12-unit text is at least 10 px
//     from 360 px up, above it the wide one (960 units), whose text is at
//     least 10 px from 880 px up; neither shrinks its text further;
//   - prefers-color-scheme: dark switches the palette; print uses the
//     light one and the wide charts.
//
// Like reportCSS it has no comments, which html/template would strip.
const responsiveCSS = `
:root{color-scheme:light dark}
html{overflow-wrap:break-word}
body{min-width:0}
th,td{white-space:nowrap}
tbody th{overflow-wrap:normal}
td.arn code{overflow-wrap:normal}
.wide{overflow-x:auto;max-width:100%;margin:.5rem 0 1rem}
.wide table{margin:0}
.kpis{grid-template-columns:repeat(auto-fit,minmax(min(9.5rem,100%),1fr))}
.kpis div{min-width:0}
.kpis dd{overflow-wrap:anywhere}
.chart-narrow{display:none}
.chart-narrow svg{max-width:36rem}
@media (min-width:880px){
td.arn{white-space:normal;min-width:22rem}
td.arn code{overflow-wrap:anywhere}
}
@media (max-width:879.98px){
body{padding:1rem 1rem 2rem}
.chart-wide{display:none}
.chart-narrow{display:block}
h1{font-size:1.35rem}
}
@media (prefers-color-scheme:dark){
:root{--closed:#6b9be0;--errored:#ef6b73;--active:#f0b44c;--other:#9aa1ab;--minutes:#5fbf85;--conc:#37b3c4;--ink:#e4e8ee;--muted:#a9b1bd;--rule:#3a424d}
html{background:#15191f}
svg .axis{stroke:#7d8591}
.peak{stroke:#15191f}
}
@media print{
:root{color-scheme:light;--closed:#3b6fb6;--errored:#c8323f;--active:#e09b24;--other:#8a8f98;--minutes:#3f8f5f;--conc:#0f7c8c;--ink:#1d232b;--muted:#555e6b;--rule:#d9dde3}
html{background:#fff}
.chart-wide{display:block}
.chart-narrow{display:none}
.wide{overflow:visible}
th,td{white-space:normal}
}
`
