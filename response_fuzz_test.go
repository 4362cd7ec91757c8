package devicefarm

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// encodingJSONMaxDepth is encoding/json's nesting limit, which the decoder
// shares.
const encodingJSONMaxDepth = 10000

// decodeSeeds are bodies that reach every branch of the hand-written
// decoder: the wire fixtures plus encoding/json's corner cases.
func decodeSeeds(t testing.TB) [][]byte {
	t.Helper()
	seeds := [][]byte{
		[]byte(renderPage(3, "tok")),
		[]byte(`{"NEXTTOKEN":"a","nextToken":"b","TestGridSessions":[{"ARN":"x","Status":"ACTIVE"}]}`),
		[]byte(`{"ſtatus":1,"testGridSeſſions":[{"ſtatus":"CLOSED","\u212aey":1}],"next\u0054oken":"t"}`),
		[]byte(`{"testGridSessions":[{"arn":"a","created":1,"ended":2}],"testGridSessions":[{"arn":"b"},null]}`),
		[]byte(`{"testGridSessions":[{"arn":"a","status":"ERRORED"},{"arn":"b"}],"testGridSessions":[null,{"created":null}],"testGridSessions":null}`),
		[]byte(`{"testGridSessions":[{"created":"2024-03-01T12:00:00.1239Z","ended":" 1709294400.5 ","billingMinutes":"-INFINITY"}]}`),
		[]byte(`{"testGridSessions":[{"created":1.7092944001239e9,"ended":-0.0019,"billingMinutes":1e400}]}`),
		[]byte(`{"testGridSessions":[{"created":1e13},{"created":"1/3"},{"created":"0x10"}]}`),
		[]byte(`{"testGridSessions":[{"arn":"\ud83d\ude00 \ud83d \ude00 \udc00\ud800x \u00e9\u0000\"\\\/\b\f\n\r\t","status":"\u0041CTIVE"}]}`),
		[]byte("{\"testGridSessions\":[{\"arn\":\"bad \xff\xfe utf8 \xe2\x82\",\"seleniumProperties\":\"\xc3\xa9\"}]}"),
		[]byte(`{"unknown":{"a":[1,-2.5e-3,true,false,null,"s",{}],"b":[]},"testGridSessions":[{"x":[[[]]]}]}`),
		[]byte(" \t\r\n{ \"nextToken\" : \"t\" , \"testGridSessions\" : [ ] } \n\u00a0"),
		[]byte(`{"testGridSessions":[],}`),
		[]byte(`{"testGridSessions":[1,]}`),
		[]byte(`{"nextToken":"\u12"}`),
		[]byte(`{"nextToken":"\q"}`),
		[]byte(`{"a":01}`), []byte(`{"a":-}`), []byte(`{"a":1.}`), []byte(`{"a":1e}`), []byte(`{"a":tru}`),
		[]byte("{\"a\":\"\x01\"}"),
		[]byte(`null`), []byte(``), []byte(`[]`), []byte(`{} {}`), []byte(`{"a" 1}`), []byte(`{1:2}`),
		[]byte(`{"a":` + strings.Repeat("[", encodingJSONMaxDepth-1) + strings.Repeat("]", encodingJSONMaxDepth-1) + `}`),
		[]byte(`{"a":` + strings.Repeat("[", encodingJSONMaxDepth) + strings.Repeat("]", encodingJSONMaxDepth) + `}`),
	}
	return append(seeds, fixtures(t, "decode-*.json")...)
}

// FuzzDecodeOutput holds the hand-written decoder to encoding/json's
// answers: both fail, or both succeed with the same page. (The one designed
// difference, the maxSessionsPerPage bound, needs bodies far larger than
// fuzzing produces; TestDecode_SessionCountIsBounded covers it.)
func FuzzDecodeOutput(f *testing.F) {
	for _, s := range decodeSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var got, want ListTestGridSessionsOutput
		gotErr := decodeOutput(body, &got)
		wantErr := decodeOutputReference(body, &want)
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("decodeOutput error = %v, encoding/json error = %v\nbody: %q", gotErr, wantErr, body)
		}
		if gotErr != nil {
			return
		}
		requireSamePage(t, &want, &got)
	})
}

func requireSamePage(t testing.TB, want, got *ListTestGridSessionsOutput) {
	t.Helper()
	require.Equal(t, want.NextToken, got.NextToken)
	require.Equal(t, want.TestGridSessions == nil, got.TestGridSessions == nil, "nil-ness of the list")
	require.Len(t, got.TestGridSessions, len(want.TestGridSessions))
	for i := range want.TestGridSessions {
		w, g := want.TestGridSessions[i], got.TestGridSessions[i]
		require.Equal(t, math.Float64bits(w.BillingMinutes), math.Float64bits(g.BillingMinutes), "session %d billingMinutes", i)
		w.BillingMinutes, g.BillingMinutes = 0, 0
		require.Equal(t, w, g, "session %d", i)
	}
}
