package serve

import (
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readServeDoc returns SERVE.md at the repository root.
func readServeDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "..", "SERVE.md"))
	require.NoError(t, err)
	return string(b)
}

// TestServeDocFixturesAreTheFiles: each code block that SERVE.md marks
// with <!-- file: PATH --> is that file, byte for byte, so the fixtures
// users copy are the ones the tests run.
func TestServeDocFixturesAreTheFiles(t *testing.T) {
	t.Parallel()
	doc := readServeDoc(t)
	blocks := regexp.MustCompile("(?s)<!-- file: (\\S+) -->\n```\\w+\n(.*?)```\n").FindAllStringSubmatch(doc, -1)
	var files []string
	for _, b := range blocks {
		files = append(files, b[1])
		want, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "..", filepath.FromSlash(b[1])))
		require.NoError(t, err)
		assert.Equal(t, string(want), b[2], "SERVE.md's copy of %s", b[1])
	}
	assert.Equal(t, []string{"bench/interop/aimed_faults_test.go",
		"contrib/python/tests/test_selenium.py", "contrib/node/test/selenium.test.js", "bench/interop/selenium_test.go",
		"contrib/python/tests/test_example.py", "bench/interop/fixture_test.go", "contrib/node/test/example.test.js"}, files)
}

// TestServeDocCoversFlagsAndEndpoints: SERVE.md and the help text name
// every flag, and SERVE.md every control endpoint with a curl example.
func TestServeDocCoversFlagsAndEndpoints(t *testing.T) {
	t.Parallel()
	doc := readServeDoc(t)
	var o Options
	var epoch string
	serveFlagSet(&o, &epoch).VisitAll(func(f *flag.Flag) {
		assert.Contains(t, doc, "`--"+f.Name, "SERVE.md lacks --%s", f.Name)
		assert.Contains(t, Usage, "--"+f.Name, "the help lacks --%s", f.Name)
	})
	for path, methods := range (&controlAPI{}).endpoints() {
		for method := range methods {
			assert.Contains(t, doc, "`"+method+" "+controlPrefix+path, "SERVE.md lacks %s %s", method, path)
			assert.Contains(t, Usage, controlPrefix+path, "the help lacks %s", path)
			curl := "curl -s "
			if method != http.MethodGet {
				curl += "-X " + method + " "
			}
			assert.True(t, strings.Contains(doc, curl+"$CONTROL"+path) || strings.Contains(doc, curl+`"$CONTROL`+path),
				"SERVE.md has no curl example of %s %s", method, path)
		}
	}
	// A POST control request needs the header (checkJSONContentType).
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "curl ") && strings.Contains(line, "-X POST") {
			assert.Contains(t, line, "-H 'Content-Type: application/json'", "SERVE.md: %s", line)
		}
	}
}
