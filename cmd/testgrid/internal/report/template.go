package report

// The report's HTML template and its CSS, parsed once by reportTemplate.

// reportHTML is the page. CSP_POLICY is replaced by reportCSP before
// parsing, so that the policy is part of the trusted template text.
const reportHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="CSP_POLICY">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="testgrid summary">
<title>Test grid summary: {{text .ProjectID}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<header>
<h1>Test grid summary</h1>
<p>Project <code>{{text .S.Project}}</code></p>
<p>{{if .S.Days}}Sessions created {{date .First}} to {{date .Last}}{{else}}No sessions{{end}}; times in {{.S.Loc}}; listed {{when .S.Generated}}.</p>
{{- range .S.Notes}}
<p class="note window-note">Note: {{.}}.</p>
{{- end}}
</header>
<main>
<section aria-labelledby="totals-h">
<h2 id="totals-h">Totals</h2>
<dl class="kpis">
<div><dt>Sessions</dt><dd id="total-sessions">{{int .S.Sessions}}</dd></div>
<div><dt>Billing minutes</dt><dd id="total-billing-minutes">{{minutes .S.BillingMinutes}}</dd></div>
{{- with .S.Durations}}{{if .Ended}}
<div><dt>Median duration</dt><dd id="duration-median">{{dur .Median}}</dd><dd class="note">of {{int .Ended}} ended</dd></div>
<div><dt>p95 duration</dt><dd id="duration-p95">{{dur .P95}}</dd></div>
<div><dt>Longest</dt><dd id="duration-max">{{dur .Max}}</dd></div>
{{- end}}{{end}}
<div><dt>Peak concurrency</dt><dd id="peak-concurrency">{{int .S.Concurrency.Peak}}</dd>
{{- if .S.Concurrency.Peak}}<dd class="note">at {{when .S.Concurrency.PeakAt}}{{if not .S.Concurrency.Exact}}; at least: {{.S.Concurrency.OutOfOrder}} sessions arrived out of creation order{{end}}</dd>{{end}}</div>
</dl>
<div class="wide">
<table id="statuses">
<caption>Sessions by status</caption>
<thead><tr><th scope="col">Status</th><th scope="col">Sessions</th><th scope="col">Share</th><th scope="col">Billing minutes</th></tr></thead>
<tbody>
{{- range .S.Statuses}}
<tr data-status="{{text .Status}}"><th scope="row">{{text .Status}}</th><td class="sessions-count">{{int .Sessions}}</td><td>{{pct .Share}}</td><td>{{minutes .BillingMinutes}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
{{- if .S.Undated}}
<p class="note">{{.S.Undated}} sessions have no creation time: they are in the totals, not in the days or the concurrency.</p>
{{- end}}
</section>
{{- if .S.Days}}
<section aria-labelledby="days-h">
<h2 id="days-h">Per day</h2>
<figure aria-describedby="days-table">
<div class="chart-wide">{{template "bars" .DayBars}}</div>
<div class="chart-narrow">{{template "bars" .Narrow.DayBars}}</div>
<figcaption>Sessions started each day ({{.S.Loc}}), stacked by status: closed at the bottom, then errored, then still active. The table below has the numbers.</figcaption>
</figure>
<figure aria-describedby="days-table">
<div class="chart-wide">{{template "bars" .MinuteBars}}</div>
<div class="chart-narrow">{{template "bars" .Narrow.MinuteBars}}</div>
<figcaption>Billing minutes of the sessions started each day. The table below has the numbers.</figcaption>
</figure>
<div class="wide">
<table id="days-table">
<caption>Per day ({{.S.Loc}})</caption>
<thead><tr><th scope="col">Day</th><th scope="col">Sessions</th><th scope="col">Closed</th><th scope="col">Errored</th><th scope="col">Active</th><th scope="col">Other</th><th scope="col">Billing minutes</th><th scope="col">Peak concurrency</th></tr></thead>
<tbody>
{{- range .S.Days}}
<tr><th scope="row">{{date .Date}}</th><td>{{int .Sessions}}</td><td>{{int .Closed}}</td><td>{{int .Errored}}</td><td>{{int .Active}}</td><td>{{int .Other}}</td><td>{{minutes .BillingMinutes}}</td><td>{{int .PeakConcurrency}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
</section>
{{- end}}
{{- if .S.Concurrency.Hours}}
<section aria-labelledby="concurrency-h">
<h2 id="concurrency-h">Concurrency</h2>
<figure aria-describedby="concurrency-text">
<div class="chart-wide">{{template "steps" .Running}}</div>
<div class="chart-narrow">{{template "steps" .Narrow.Running}}</div>
<figcaption>Largest number of sessions running at the same time, hour by hour; the dot marks the peak. Sessions still active count until {{when .S.Generated}}.</figcaption>
</figure>
<p id="concurrency-text">At most {{int .S.Concurrency.Peak}} sessions ran at once, first at {{when .S.Concurrency.PeakAt}}{{if not .S.Concurrency.Exact}} (a lower bound: {{.S.Concurrency.OutOfOrder}} sessions arrived out of creation order){{end}}. The per-day table gives each day's peak; every hour is listed below.</p>
<details>
<summary>Peak per hour ({{len .S.Concurrency.Hours}} hours)</summary>
<div class="wide">
<table id="hours-table">
<thead><tr><th scope="col">Hour ({{.S.Loc}})</th><th scope="col">Peak</th></tr></thead>
<tbody>
{{- range .S.Concurrency.Hours}}
<tr><th scope="row">{{hour .Start}}</th><td>{{.Peak}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
</details>
</section>
{{- end}}
{{- if .S.Browsers}}
<section aria-labelledby="mix-h">
<h2 id="mix-h">Browsers and platforms</h2>
<p class="note">From each session's seleniumProperties (browserName, browserVersion, platformName); "(unknown)" when a session has none.</p>
<figure aria-describedby="browsers-table">
<div class="chart-wide">{{template "mix" .BrowserMix}}</div>
<div class="chart-narrow">{{template "mix" .Narrow.BrowserMix}}</div>
<figcaption>Sessions per browser and version, errored part in red{{with .BrowserMix.More}}; {{.}}{{end}}.</figcaption>
</figure>
<div class="wide">
<table id="browsers-table">
<caption>Browsers</caption>
<thead><tr><th scope="col">Browser</th><th scope="col">Version</th><th scope="col">Sessions</th><th scope="col">Errored</th><th scope="col">Error rate</th><th scope="col">Billing minutes</th></tr></thead>
<tbody>
{{- range .S.Browsers}}
<tr><th scope="row">{{text .Name}}</th><td class="text">{{text .Version}}</td><td>{{int .Sessions}}</td><td>{{int .Errored}}</td><td>{{pct .ErrorRate}}</td><td>{{minutes .BillingMinutes}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
<figure aria-describedby="platforms-table">
<div class="chart-wide">{{template "mix" .PlatformMix}}</div>
<div class="chart-narrow">{{template "mix" .Narrow.PlatformMix}}</div>
<figcaption>Sessions per platform, errored part in red{{with .PlatformMix.More}}; {{.}}{{end}}.</figcaption>
</figure>
<div class="wide">
<table id="platforms-table">
<caption>Platforms</caption>
<thead><tr><th scope="col">Platform</th><th scope="col">Sessions</th><th scope="col">Errored</th><th scope="col">Error rate</th><th scope="col">Billing minutes</th></tr></thead>
<tbody>
{{- range .S.Platforms}}
<tr><th scope="row">{{text .Name}}</th><td>{{int .Sessions}}</td><td>{{int .Errored}}</td><td>{{pct .ErrorRate}}</td><td>{{minutes .BillingMinutes}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
</section>
{{- end}}
{{- with .S.Errored}}{{if .Total}}
<section aria-labelledby="errored-h">
<h2 id="errored-h">Errored sessions</h2>
{{- if .Sessions}}
<div class="wide">
<table id="errored-table">
<caption>{{if .More}}The {{len .Sessions}} newest of {{int .Total}} errored sessions{{else}}Errored sessions{{end}}, newest first</caption>
<thead><tr><th scope="col">Created</th><th scope="col">Duration</th><th scope="col">Browser</th><th scope="col">Platform</th><th scope="col">Session</th></tr></thead>
<tbody>
{{- range .Sessions}}
<tr><th scope="row">{{.CreatedText}}</th><td>{{.DurationText}}</td><td class="text name">{{.BrowserText}}</td><td class="text name">{{.Platform}}</td><td class="text arn"><code>{{.Arn}}</code></td></tr>
{{- end}}
</tbody>
</table>
</div>
{{- end}}
{{- if .More}}
<p class="note" id="errored-more">and {{int .More}} more errored {{if eq .More 1}}session{{else}}sessions{{end}}</p>
{{- end}}
</section>
{{- end}}{{end}}
</main>
<footer>
<p>Generated by testgrid summary. Durations are those of ended sessions; the median and p95 are within {{relErr}}, the longest is exact. Days and hours are in {{.S.Loc}}. Billing minutes as reported by AWS Device Farm.</p>
</footer>
</body>
</html>
`

// reportChartsHTML holds the SVG templates. Each gets a chart value
// (barChart, stepChart, mixChart); "frame" draws what all charts share.
const reportChartsHTML = `
{{define "frame"}}<title id="{{.ID}}-title">{{.Title}}</title>
<desc id="{{.ID}}-desc">{{.Desc}}</desc>
{{- range .YTicks}}
<line class="grid" x1="{{$.PlotX}}" x2="{{$.PlotRight}}" y1="{{.Pos}}" y2="{{.Pos}}"/><text x="{{sub $.PlotX 6}}" y="{{add .Pos 4}}" text-anchor="end">{{.Label}}</text>
{{- end}}
<line class="axis" x1="{{.PlotX}}" x2="{{.PlotRight}}" y1="{{.PlotBottom}}" y2="{{.PlotBottom}}"/>
{{- range .XTicks}}
<text x="{{.Pos}}" y="{{add $.PlotBottom 18}}" text-anchor="middle">{{.Label}}</text>
{{- end}}
{{- range .Legend}}
<rect class="{{.Class}}" x="{{.X}}" y="6" width="12" height="12"/><text x="{{add .X 16}}" y="16">{{.Label}}</text>
{{- end}}
{{end}}

{{define "bars"}}<svg id="{{.ID}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-labelledby="{{.ID}}-title {{.ID}}-desc">
{{template "frame" .}}
{{- range .Bars}}
<g class="day" data-date="{{.Date}}"><title>{{.Title}}</title>{{range .Segments}}<rect class="{{.Class}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"/>{{end}}</g>
{{- end}}
</svg>{{end}}

{{define "steps"}}<svg id="{{.ID}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-labelledby="{{.ID}}-title {{.ID}}-desc">
{{template "frame" .}}
<path class="area" d="{{.Area}}"/>
<path class="line" d="{{.Line}}"/>
<circle class="peak" cx="{{.PeakX}}" cy="{{.PeakY}}" r="4.5"/>
<text class="peak-label" x="{{.PeakX}}" y="{{sub .PeakY 9}}" text-anchor="{{.PeakAnchor}}">{{.PeakLabel}}</text>
</svg>{{end}}

{{define "mix"}}<svg id="{{.ID}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-labelledby="{{.ID}}-title {{.ID}}-desc">
<title id="{{.ID}}-title">{{.Title}}</title>
<desc id="{{.ID}}-desc">{{.Desc}}</desc>
{{- range .Legend}}
<rect class="{{.Class}}" x="{{.X}}" y="6" width="12" height="12"/><text x="{{add .X 16}}" y="16">{{.Label}}</text>
{{- end}}
{{- range .Rows}}
<g class="mix"><title>{{.Title}}</title><text x="{{sub $.PlotX 8}}" y="{{.TextY}}" text-anchor="end">{{.Label}}</text><rect class="sessions" x="{{$.PlotX}}" y="{{.Y}}" width="{{.W}}" height="16"/><rect class="errored" x="{{$.PlotX}}" y="{{.Y}}" width="{{.ErroredW}}" height="16"/><text x="{{.ValueX}}" y="{{.TextY}}">{{.Value}}</text></g>
{{- end}}
</svg>{{end}}
`

// reportCSS styles the page for a laptop screen and for print. It has no
// comments: html/template would strip them from template text, and the
// policy's hash must match the text that is sent.
const reportCSS = `
:root{--closed:#3b6fb6;--errored:#c8323f;--active:#e09b24;--other:#8a8f98;--minutes:#3f8f5f;--conc:#0f7c8c;--ink:#1d232b;--muted:#555e6b;--rule:#d9dde3}
*{box-sizing:border-box}
html{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
body{margin:0 auto;max-width:72rem;padding:1.5rem 2rem 3rem}
h1{font-size:1.6rem;margin:0 0 .25rem}
h2{font-size:1.2rem;margin:2rem 0 .75rem;border-bottom:1px solid var(--rule);padding-bottom:.25rem}
header p{margin:.2rem 0;color:var(--muted)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em;overflow-wrap:anywhere}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(10rem,1fr));gap:.75rem;margin:0 0 1rem}
.kpis div{border:1px solid var(--rule);border-radius:6px;padding:.6rem .8rem}
.kpis dt{font-size:.8rem;color:var(--muted)}
.kpis dd{overflow-wrap:anywhere;margin:0;font-size:1.35rem;font-weight:600;font-variant-numeric:tabular-nums}
.kpis dd.note{font-size:.75rem;font-weight:400;color:var(--muted)}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:.5rem 0 1rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{padding:.2rem .7rem;border-bottom:1px solid var(--rule);text-align:right}
th[scope=row],td.text,thead th:first-child{text-align:left}
tbody th,td.text{font-weight:400;overflow-wrap:anywhere;unicode-bidi:isolate}
thead th{font-size:.8rem;color:var(--muted);font-weight:600}
figure{margin:1rem 0 1.5rem}
figcaption,.note{font-size:.85rem;color:var(--muted)}
svg{display:block;width:100%;height:auto}
svg text{font-size:12px;fill:var(--muted)}
svg .axis{stroke:#8a8f98;stroke-width:1}
svg .grid{stroke:var(--rule);stroke-width:1;stroke-dasharray:2 3}
.closed,.sessions{fill:var(--closed)}
.errored{fill:var(--errored)}
.active{fill:var(--active)}
.other{fill:var(--other)}
.minutes{fill:var(--minutes)}
.area{fill:var(--conc);fill-opacity:.2}
.line{fill:none;stroke:var(--conc);stroke-width:1.5}
.peak{fill:var(--errored);stroke:#fff;stroke-width:1.5}
svg text.peak-label{fill:var(--ink);font-weight:600}
g.day:hover rect,g.mix:hover rect{fill-opacity:.75}
details{margin:.5rem 0 1rem}
summary{cursor:pointer;color:var(--muted)}
.wide{overflow-x:auto}
footer{margin-top:2.5rem;font-size:.8rem;color:var(--muted);border-top:1px solid var(--rule);padding-top:.5rem}
@media print{
@page{margin:1.2cm}
html{font-size:10pt}
body{max-width:none;padding:0}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
figure,table,.kpis,tr{break-inside:avoid}
h2{break-after:avoid}
details{display:none}
}
`
