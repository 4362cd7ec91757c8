package cmdutil

import (
	"errors"
	"fmt"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/cmd/testgrid/internal/safetext"
)

// MaxPageSize is the service's largest maxResult.
const MaxPageSize = 1000

// CheckProjectArn checks a project ARN with the library's own rules and
// wording (the model's pattern and length, and no session ARN), so that a
// bad --project is refused before any request with the message a program
// using the library gets, and the fake never holds a project no request
// could name.
func CheckProjectArn(arn string) error {
	var ve *devicefarm.ValidationError
	if err := (&devicefarm.ListTestGridSessionsInput{ProjectArn: arn}).Validate(); errors.As(err, &ve) {
		return fmt.Errorf("%s %s", safetext.QuoteEcho(arn), ve.Rule)
	}
	return nil
}
