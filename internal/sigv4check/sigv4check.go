// Package sigv4check verifies the AWS Signature Version 4 of a DeviceFarm
// request as the service does, answering a failure with the status, error
// code and message the service would send. The fake service
// (devicefarmtest) and the library's own tests use it.
package sigv4check

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	// SigningService is DeviceFarm's SigV4 service name.
	SigningService = "devicefarm"
	// MaxSkew is how far X-Amz-Date may be from Options.Now.
	MaxSkew = 5 * time.Minute

	amzDateFormat = "20060102T150405Z"

	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgInvalidToken      = "The security token included in the request is invalid."
)

// Options says what a request must be signed with.
type Options struct {
	// Region the credential scope must name.
	Region string
	// The accepted key pair and session token ("" when none is accepted).
	AccessKeyID, SecretAccessKey, SessionToken string
	// AnyCredentials accepts any non-empty access key ID, any session
	// token and any signature; every other check still applies.
	AnyCredentials bool
	// Now, when set, bounds X-Amz-Date to MaxSkew around Now(); nil skips
	// that check.
	Now func() time.Time
	// Signer signs the copy of the request compared with it; nil: a new
	// aws-sdk-go-v2 v4.Signer.
	Signer v4.HTTPSigner
	// Echo renders a request value quoted in a message; nil: as it is.
	Echo func(string) string
}

// Failure is why a request was refused, as the service answers it.
type Failure struct {
	Status  int
	Code    string
	Message string
}

func (f *Failure) Error() string { return f.Code + ": " + f.Message }

func failure(status int, code, message string) *Failure {
	return &Failure{Status: status, Code: code, Message: message}
}

func incomplete(format string, args ...any) *Failure {
	return failure(http.StatusBadRequest, "IncompleteSignatureException", fmt.Sprintf(format, args...))
}

func invalidSignature(format string, args ...any) *Failure {
	return failure(http.StatusForbidden, "InvalidSignatureException", fmt.Sprintf(format, args...))
}

// Verify checks the request's SigV4 Authorization header against o, body
// being the request's body. It signs a copy of the request (its signed
// headers only, at its X-Amz-Date) with aws-sdk-go-v2's signer and the
// accepted key pair, and compares signatures. It returns nil when the
// request passes, or the first failure, checked in this order:
//
//   - no Authorization header: 403 MissingAuthenticationTokenException
//     "Missing Authentication Token";
//   - an Authorization header that is not AWS4-HMAC-SHA256 with Credential,
//     SignedHeaders and Signature, no X-Amz-Date, or a malformed credential
//     or date: 400 IncompleteSignatureException;
//   - an unknown access key ID, or an X-Amz-Security-Token different from
//     o.SessionToken (a token sent when none is accepted included): 403
//     UnrecognizedClientException "The security token included in the
//     request is invalid.";
//   - a credential scope with another date than X-Amz-Date, another region
//     ("Credential should be scoped to a valid region, not 'eu-west-1'.
//     This endpoint expects 'us-west-2'."), another service
//     ("Credential should be scoped to correct service: 'devicefarm'.") or
//     another terminator than aws4_request: 403 InvalidSignatureException;
//   - with o.Now set, an X-Amz-Date more than 5 minutes before or after
//     it: 403 InvalidSignatureException "Signature expired: ... is now
//     earlier than ..." or "Signature not yet current: ... is still later
//     than ...";
//   - any other mismatch (wrong secret, modified body or header): 403
//     InvalidSignatureException "The request signature we calculated does
//     not match the signature you provided. ...".
//
// Messages never include the secret key or the session token. The signer
// never signs User-Agent, X-Amzn-Trace-Id, Expect or Transfer-Encoding, so
// a request that signed one of them is refused as a mismatch.
func Verify(r *http.Request, body []byte, o Options) *Failure {
	echo := o.Echo
	if echo == nil {
		echo = func(s string) string { return s }
	}
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return failure(http.StatusForbidden, "MissingAuthenticationTokenException", "Missing Authentication Token")
	}
	algorithm, rest, _ := strings.Cut(auth, " ")
	if algorithm != "AWS4-HMAC-SHA256" {
		return incomplete("Unsupported AWS 'algorithm': '%s'; only AWS4-HMAC-SHA256 is supported.", echo(algorithm))
	}
	params := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok {
			params[k] = v
		}
	}
	var missing []string
	for _, name := range []string{"Credential", "SignedHeaders", "Signature"} {
		if params[name] == "" {
			missing = append(missing, "Authorization header requires '"+name+"' parameter.")
		}
	}
	amzDate := r.Header.Get("X-Amz-Date")
	if amzDate == "" {
		missing = append(missing, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if len(missing) > 0 {
		return incomplete("%s", strings.Join(missing, " "))
	}
	scope := strings.Split(params["Credential"], "/")
	if len(scope) != 5 {
		return incomplete("Credential must have the form ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request.")
	}

	signingTime, err := time.Parse(amzDateFormat, amzDate)
	if err != nil {
		return incomplete("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", echo(amzDate))
	}

	knownCredentials := equalStrings(scope[0], o.AccessKeyID) && equalStrings(r.Header.Get("X-Amz-Security-Token"), o.SessionToken)
	if o.AnyCredentials {
		knownCredentials = scope[0] != ""
	}
	if !knownCredentials {
		return failure(http.StatusForbidden, "UnrecognizedClientException", msgInvalidToken)
	}
	switch day := signingTime.Format("20060102"); {
	case scope[1] != day:
		return invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", echo(scope[1]), day, amzDate)
	case scope[2] != o.Region:
		return invalidSignature("Credential should be scoped to a valid region, not '%s'. This endpoint expects '%s'.", echo(scope[2]), o.Region)
	case scope[3] != SigningService:
		return invalidSignature("Credential should be scoped to correct service: '%s'.", SigningService)
	case scope[4] != "aws4_request":
		return invalidSignature("Credential should be scoped with a valid terminator: 'aws4_request', not '%s'.", echo(scope[4]))
	}

	if o.Now != nil {
		now := o.Now().UTC()
		switch {
		case signingTime.Before(now.Add(-MaxSkew)):
			return invalidSignature("Signature expired: %s is now earlier than %s (%s - 5 min.)",
				amzDate, now.Add(-MaxSkew).Format(amzDateFormat), now.Format(amzDateFormat))
		case signingTime.After(now.Add(MaxSkew)):
			return invalidSignature("Signature not yet current: %s is still later than %s (%s + 5 min.)",
				amzDate, now.Add(MaxSkew).Format(amzDateFormat), now.Format(amzDateFormat))
		}
	}

	if o.AnyCredentials {
		return nil
	}
	want, err := expectedSignature(r, body, strings.Split(params["SignedHeaders"], ";"), signingTime, &o)
	if err != nil || subtle.ConstantTimeCompare([]byte(want), []byte(params["Signature"])) != 1 {
		return invalidSignature("%s", msgSignatureMismatch)
	}
	return nil
}

// expectedSignature signs a copy of r holding only its signed headers.
// Host, Content-Length, X-Amz-Date and X-Amz-Security-Token are set by the
// signer itself; Content-Length is signed only if the request signed it.
func expectedSignature(r *http.Request, body []byte, signed []string, at time.Time, o *Options) (string, error) {
	re, err := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), nil)
	if err != nil {
		return "", err
	}
	re.Host = r.Host
	for _, name := range signed {
		switch name {
		case "host", "content-length", "x-amz-date", "x-amz-security-token":
		default:
			re.Header[http.CanonicalHeaderKey(name)] = r.Header.Values(name)
		}
	}
	if slices.Contains(signed, "content-length") {
		re.ContentLength = int64(len(body))
	}
	creds := aws.Credentials{
		AccessKeyID:     o.AccessKeyID,
		SecretAccessKey: o.SecretAccessKey,
		SessionToken:    o.SessionToken,
	}
	signer := o.Signer
	if signer == nil {
		signer = v4.NewSigner()
	}
	sum := sha256.Sum256(body)
	if err := signer.SignHTTP(context.Background(), creds, re, hex.EncodeToString(sum[:]), SigningService, o.Region, at); err != nil {
		return "", err
	}
	_, sig, _ := strings.Cut(re.Header.Get("Authorization"), "Signature=")
	return sig, nil
}

func equalStrings(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
