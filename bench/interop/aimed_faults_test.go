package interop_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/devicefarm"
	"github.com/aws/aws-sdk-go-v2/service/devicefarm/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOfficialSDKAimedFaults: parallel tests share one "testgrid serve".
// Each creates and seeds its own project, aims a fault at its own third
// page, and sees that fault only.
func TestOfficialSDKAimedFaults(t *testing.T) {
	client, ready := StartTestgridServe(t)
	for i := range 4 {
		t.Run(fmt.Sprint("suite", i), func(t *testing.T) {
			t.Parallel()
			out, err := client.CreateTestGridProject(t.Context(), &devicefarm.CreateTestGridProjectInput{Name: aws.String(t.Name())})
			require.NoError(t, err)
			project := aws.ToString(out.TestGridProject.Arn)
			control(t, ready, http.MethodPost, "/seed", fmt.Sprintf(`{"projectArn":%q,"sessions":30,"seed":%d}`, project, i))
			control(t, ready, http.MethodPost, "/faults", `{"faults":[{"preset":"notfound","operation":"ListTestGridSessions","projectArn":"`+project+`","nth":3}]}`)
			defer control(t, ready, http.MethodDelete, "/faults?projectArn="+url.QueryEscape(project), "")

			p := devicefarm.NewListTestGridSessionsPaginator(client, &devicefarm.ListTestGridSessionsInput{ProjectArn: aws.String(project), MaxResult: aws.Int32(5)})
			pages := 0
			for p.HasMorePages() {
				if _, err = p.NextPage(t.Context()); err != nil {
					break
				}
				pages++
			}
			var nf *types.NotFoundException
			require.ErrorAs(t, err, &nf)
			assert.Equal(t, 2, pages, "the third page failed, and only it")
		})
	}
}
