package devicefarm

import (
	"context"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/testgridkit/devicefarm/internal/uuid"
)

// setRequestHeaders sets an attempt's headers other than the signer's: the
// awsJson1.1 protocol's, the User-Agent, and the official SDK's invocation
// and attempt headers.
func setRequestHeaders(ctx context.Context, h http.Header, userAgent string, call *callState, attempt int) {
	h["Content-Type"] = []string{"application/x-amz-json-1.1"}
	h["X-Amz-Target"] = []string{targetHeader}
	h["User-Agent"] = []string{userAgent}
	h["Amz-Sdk-Invocation-Id"] = []string{call.invocationID}
	h["Amz-Sdk-Request"] = []string{sdkRequestHeader(ctx, attempt, call.maxAttempts, call.skew)}
}

// sdkRequestHeader renders Amz-Sdk-Request: "attempt=N; max=M", plus
// "; ttl=..." when ctx has a deadline and a positive clock skew is known.
func sdkRequestHeader(ctx context.Context, attempt, maxAttempts int, skew time.Duration) string {
	v := "attempt=" + strconv.Itoa(attempt)
	if maxAttempts != 0 {
		v += "; max=" + strconv.Itoa(maxAttempts)
	}
	if deadline, ok := ctx.Deadline(); ok && skew > 0 {
		v += "; ttl=" + deadline.Add(skew).UTC().Format("20060102T150405Z")
	}
	return v
}

// newInvocationID returns a random UUIDv4, shared by all attempts of a call.
func newInvocationID() string { return uuid.New() }

// userAgent builds the User-Agent header value.
func userAgent(appID string) string {
	ua := "testgridkit-devicefarm/" + Version + " lang/go#" + strings.TrimPrefix(runtime.Version(), "go") +
		" md/GOOS#" + runtime.GOOS + " md/GOARCH#" + runtime.GOARCH
	if appID = sanitizeAppID(appID); appID != "" {
		ua += " app/" + appID
	}
	return ua
}

// sanitizeAppID keeps at most 50 characters, replacing any that are not
// HTTP token characters with '-', so an AppID can never inject a header.
func sanitizeAppID(s string) string {
	const maxLen = 50
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= maxLen {
			break
		}
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r)) {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}
