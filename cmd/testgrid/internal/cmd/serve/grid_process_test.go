//go:build linux

package serve

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/testgridkit/devicefarm/internal/chromedriver"
)

// createGridURL calls CreateTestGridUrl on a serve process, signed with
// its credentials.
func createGridURL(t *testing.T, p *serveProcess, project string) string {
	t.Helper()
	body := `{"projectArn":"` + project + `","expiresInSeconds":300}`
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, p.ready.Endpoint+"/", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "DeviceFarm_20150623.CreateTestGridUrl")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: p.ready.AccessKeyID, SecretAccessKey: p.ready.SecretAccessKey}
	require.NoError(t, v4.NewSigner().SignHTTP(t.Context(), creds, req, hex.EncodeToString(sum[:]), "devicefarm", p.ready.Region, time.Now()))
	resp, err := p.http.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out struct {
		URL string `json:"url"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return out.URL
}

// webDriver sends one WebDriver command and decodes its value.
func webDriver(t *testing.T, method, u, body string) (int, any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, strings.NewReader(body))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out struct {
		Value any `json:"value"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return resp.StatusCode, out.Value
}

// openPage starts a Chrome session through the grid URL u, opens a page
// titled title in it, and returns the session's ID.
func openPage(t *testing.T, u, title string) string {
	t.Helper()
	status, v := webDriver(t, http.MethodPost, u+"/session", `{"capabilities":{"alwaysMatch":{"browserName":"chrome"}}}`)
	require.Equal(t, http.StatusOK, status, v)
	id := v.(map[string]any)["sessionId"].(string)
	status, v = webDriver(t, http.MethodPost, u+"/session/"+id+"/url", `{"url":"data:text/html,<title>`+title+`</title>"}`)
	require.Equal(t, http.StatusOK, status, v)
	return id
}

// liveProcesses returns the processes, zombies aside, whose command line
// contains s (unless s is empty), or whose parent is ppid; each as "PID
// cmdline", with spaces between the arguments.
func liveProcesses(t *testing.T, s string, ppid int) []string {
	t.Helper()
	var out []string
	entries, err := os.ReadDir("/proc")
	require.NoError(t, err)
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		i := bytes.LastIndexByte(stat, ')')
		f := bytes.Fields(stat[i+1:])
		if len(f) < 2 || string(f[0]) == "Z" || string(f[0]) == "X" {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if s != "" && bytes.Contains(cmdline, []byte(s)) || string(f[1]) == strconv.Itoa(ppid) {
			out = append(out, e.Name()+" "+string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})))
		}
	}
	return out
}

// TestServeGridKilledMidSession: serve stopped by SIGTERM or SIGINT while
// a browser runs leaves no browser, driver or profile behind.
func TestServeGridKilledMidSession(t *testing.T) {
	if _, err := os.Stat(chromedriver.DefaultPath); err != nil {
		t.Skip("no " + chromedriver.DefaultPath + " (apt-get install chromium-driver)")
	}
	t.Parallel()
	bin := testgridBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			tmp := t.TempDir() // the browser's profile is made here
			p := startServeEnv(t, cleanEnv(t, "TMPDIR="+tmp), bin, "--project", testProject)
			require.Equal(t, "chromedriver", p.ready.Grid)
			u := createGridURL(t, p, testProject)

			openPage(t, u, "mid-session")
			require.NotEmpty(t, liveProcesses(t, tmp, -1), "a browser runs with its profile under TMPDIR")
			require.NotEmpty(t, liveProcesses(t, "\x00", p.cmd.Process.Pid), "serve's chromedriver runs")

			p.stop(t, sig)
			assert.Empty(t, liveProcesses(t, tmp, p.cmd.Process.Pid), "no browser or driver is left")
			left, err := filepath.Glob(filepath.Join(tmp, "devicefarmtest-profile-*"))
			require.NoError(t, err)
			assert.Empty(t, left, "the profile is removed")
		})
	}
}

// TestServeGridGroupKilled: a harness that SIGKILLs serve's process
// group mid-session leaves no browser or driver behind: they are in the
// group.
func TestServeGridGroupKilled(t *testing.T) {
	if _, err := os.Stat(chromedriver.DefaultPath); err != nil {
		t.Skip("no " + chromedriver.DefaultPath + " (apt-get install chromium-driver)")
	}
	t.Parallel()
	tmp := t.TempDir()
	cmd := exec.CommandContext(t.Context(), testgridBinary(t), "serve", "--project", testProject)
	cmd.Env = cleanEnv(t, "TMPDIR="+tmp)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = stopTimeout
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	killed := false
	t.Cleanup(func() {
		if !killed {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			_ = cmd.Wait()
		}
	})
	p := &serveProcess{cmd: cmd, http: &http.Client{Timeout: readyTimeout}}
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(line, &p.ready))
	u := createGridURL(t, p, testProject)
	status, v := webDriver(t, http.MethodPost, u+"/session", `{"capabilities":{"alwaysMatch":{"browserName":"chrome"}}}`)
	require.Equal(t, http.StatusOK, status, v)
	require.NotEmpty(t, liveProcesses(t, tmp, -1), "a browser runs")

	require.NoError(t, syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL))
	killed = true
	_ = cmd.Wait()
	// SIGKILL is delivered to the whole group at once, but a process
	// leaves /proc only once it is reaped or becomes a zombie: wait for
	// that, bounded.
	assert.Eventually(t, func() bool { return len(liveProcesses(t, tmp, cmd.Process.Pid)) == 0 }, readyTimeout, 50*time.Millisecond,
		"no browser or driver is left: %v", liveProcesses(t, tmp, cmd.Process.Pid))
}

// TestServeGridDriverRestarted: serve's chromedriver killed mid-session
// (SIGKILL) leaves no browser: the session ends ERRORED, its browser is
// killed and its profile removed, and serve starts a new chromedriver on
// the same port, so that the same grid URL takes new sessions.
func TestServeGridDriverRestarted(t *testing.T) {
	if _, err := os.Stat(chromedriver.DefaultPath); err != nil {
		t.Skip("no " + chromedriver.DefaultPath + " (apt-get install chromium-driver)")
	}
	t.Parallel()
	tmp := t.TempDir()
	p := startServeEnv(t, cleanEnv(t, "TMPDIR="+tmp), testgridBinary(t), "--project", testProject)
	require.Equal(t, "chromedriver", p.ready.Grid)
	u := createGridURL(t, p, testProject)
	openPage(t, u, "before")
	profiles, err := filepath.Glob(filepath.Join(tmp, "devicefarmtest-profile-*"))
	require.NoError(t, err)
	require.Len(t, profiles, 1)
	profile := "--user-data-dir=" + profiles[0]
	require.NotEmpty(t, liveProcesses(t, profile, -1), "the browser runs")

	var driverPID int
	for _, proc := range liveProcesses(t, "", p.cmd.Process.Pid) {
		pid, cmdline, _ := strings.Cut(proc, " ")
		if strings.Contains(cmdline, "chromedriver") {
			driverPID, err = strconv.Atoi(pid)
			require.NoError(t, err)
		}
	}
	require.NotZero(t, driverPID, "serve's chromedriver is its child")
	require.NoError(t, syscall.Kill(driverPID, syscall.SIGKILL))

	sessionStatus := func() any {
		ss := p.control(t, http.MethodGet, "/sessions?projectArn="+testProject, "")["testGridSessions"].([]any)
		require.Len(t, ss, 1)
		return ss[0].(map[string]any)["status"]
	}
	require.Eventually(t, func() bool { return sessionStatus() == "ERRORED" }, readyTimeout, 20*time.Millisecond,
		"the session ends ERRORED without another command; stderr: %s", p.stderr)
	assert.Eventually(t, func() bool { return len(liveProcesses(t, profile, -1)) == 0 }, readyTimeout, 20*time.Millisecond,
		"no process of the session's browser is left: %v", liveProcesses(t, profile, -1))
	assert.NoDirExists(t, profiles[0], "the profile is removed")
	assert.Contains(t, p.stderr.String(), "testgrid serve: notice: chromedriver (pid "+strconv.Itoa(driverPID)+") exited")

	require.Eventually(t, func() bool {
		g := p.control(t, http.MethodGet, "/health", "")["grid"].(map[string]any)
		return g["running"] == true && g["restarts"] == 1.0
	}, readyTimeout, 20*time.Millisecond, "a new chromedriver runs; stderr: %s", p.stderr)
	assert.Equal(t, 1, strings.Count(p.stderr.String(), "notice: chromedriver"), "one notice line: %s", p.stderr)
	id := openPage(t, u, "after") // the same grid URL takes a new session
	status, v := webDriver(t, http.MethodGet, u+"/session/"+id+"/title", "")
	require.Equal(t, http.StatusOK, status, v)
	assert.Equal(t, "after", v)

	p.stop(t, syscall.SIGTERM)
	assert.Empty(t, liveProcesses(t, tmp, p.cmd.Process.Pid), "no browser or driver is left")
}

// TestServeGridOff: with --chromedriver none a new session says how to
// turn the grid on.
func TestServeGridOff(t *testing.T) {
	t.Parallel()
	p := startServe(t, testgridBinary(t), "--project", testProject, "--chromedriver", "none")
	assert.Equal(t, "off", p.ready.Grid)
	status, v := webDriver(t, http.MethodPost, createGridURL(t, p, testProject)+"/session", `{"capabilities":{}}`)
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Equal(t, "session not created", v.(map[string]any)["error"])
	assert.Contains(t, v.(map[string]any)["message"], "chromedriver")
}
