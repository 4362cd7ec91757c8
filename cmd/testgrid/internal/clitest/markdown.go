package clitest

import (
	"bytes"
	"html"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// MarkdownTables renders Markdown as GitHub does (goldmark with its GFM
// extensions) and returns each table under the heading before it, as rows
// of the text a reader sees in each cell (tags stripped, entities
// decoded), the header row first.
func MarkdownTables(t *testing.T, src []byte) map[string][][]string {
	t.Helper()
	page := RenderMarkdown(t, src)
	tables := map[string][][]string{}
	for _, m := range sectionRE.FindAllStringSubmatch(page, -1) {
		heading, table := html.UnescapeString(tagRE.ReplaceAllString(m[1], "")), m[2]
		var rows [][]string
		for _, tr := range rowRE.FindAllStringSubmatch(table, -1) {
			var cells []string
			for _, td := range cellRE.FindAllStringSubmatch(tr[1], -1) {
				cells = append(cells, html.UnescapeString(tagRE.ReplaceAllString(td[1], "")))
			}
			rows = append(rows, cells)
		}
		tables[heading] = rows
	}
	return tables
}

var (
	// sectionRE matches a heading and the first table after it.
	sectionRE = regexp.MustCompile(`(?s)<h[23][^>]*>(.*?)</h[23]>(?:(?:[^<]|<[^t/h]|</[^h]|<h[^23])*?)<table>(.*?)</table>`)
	rowRE     = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	cellRE    = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	tagRE     = regexp.MustCompile(`<[^>]*>`)
)

// RenderMarkdown renders Markdown as GitHub does, without raw HTML.
func RenderMarkdown(t *testing.T, src []byte) string {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(src, &out))
	return out.String()
}
