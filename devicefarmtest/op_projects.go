package devicefarmtest

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/testgridkit/devicefarm"
	"github.com/testgridkit/devicefarm/internal/oneline"
)

// The project operations: CreateTestGridProject, GetTestGridProject,
// ListTestGridProjects, UpdateTestGridProject, DeleteTestGridProject.

// Model constraints of the project operations.
const (
	maxResourceNameLen        = 64   // ResourceName
	maxResourceDescriptionLen = 2048 // ResourceDescription
	maxSecurityGroupIDs       = 5    // SecurityGroupIds
	maxSubnetIDs              = 8    // SubnetIds
	maxNonEmptyStringLen      = 4096 // NonEmptyString
)

// projectNotFound is the NotFoundException for a project ARN that passed
// validation (so it is never cut).
func projectNotFound(arn string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: devicefarm.CodeNotFoundException,
		message: fmt.Sprintf("Project %s was not found.", oneline.Quote(arn, maxProjectArnLen))}
}

// projectInput is the decoded input of CreateTestGridProject and
// UpdateTestGridProject.
type projectInput struct {
	projectArn, name, description *string
	vpc                           *VpcConfig
}

// parseProjectInput decodes and validates a project's members; create
// tells CreateTestGridProject (name required, no projectArn) from
// UpdateTestGridProject (projectArn required).
func parseProjectInput(body []byte, create bool) (*projectInput, *apiError) {
	m, e := decodeMembers(body)
	if e != nil {
		return nil, e
	}
	in := &projectInput{}
	if !create {
		if in.projectArn, e = m.str("projectArn"); e != nil {
			return nil, e
		}
	}
	if in.name, e = m.str("name"); e != nil {
		return nil, e
	}
	if in.description, e = m.str("description"); e != nil {
		return nil, e
	}
	vm, e := m.object("vpcConfig")
	if e != nil {
		return nil, e
	}
	var v violations
	if !create {
		v.arn("projectArn", in.projectArn, true)
	}
	v.text("name", in.name, 1, maxResourceNameLen, create)
	v.text("description", in.description, 1, maxResourceDescriptionLen, false)
	if vm != nil {
		in.vpc = &VpcConfig{}
		if in.vpc.SecurityGroupIds, e = vm.strings("securityGroupIds"); e != nil {
			return nil, e
		}
		if in.vpc.SubnetIds, e = vm.strings("subnetIds"); e != nil {
			return nil, e
		}
		vpcID, e := vm.str("vpcId")
		if e != nil {
			return nil, e
		}
		if vpcID != nil {
			in.vpc.VpcId = *vpcID
		}
		v.list("vpcConfig.securityGroupIds", in.vpc.SecurityGroupIds, vm.raw("securityGroupIds") != nil, maxSecurityGroupIDs)
		v.list("vpcConfig.subnetIds", in.vpc.SubnetIds, vm.raw("subnetIds") != nil, maxSubnetIDs)
		v.text("vpcConfig.vpcId", vpcID, 1, maxNonEmptyStringLen, true)
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	return in, nil
}

// list checks a required list of NonEmptyString of 1 to hi items.
func (v *violations) list(name string, items []string, present bool, hi int) {
	switch {
	case !present:
		v.required(name)
	case len(items) < 1:
		v.add("Value '[]' at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", name)
	case len(items) > hi:
		v.add("Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", name, hi)
	}
	for i := range items {
		v.text(fmt.Sprintf("%s.%d.member", name, i+1), &items[i], 1, maxNonEmptyStringLen, true)
	}
}

func (s *Server) createTestGridProject(c *call) ([]byte, *apiError) {
	in, e := parseProjectInput(c.body, true)
	if e != nil {
		return nil, e
	}
	p := Project{Arn: s.newProjectArn(), Name: *in.name, VpcConfig: in.vpc, Created: truncMillis(s.opts.Now())}
	if in.description != nil {
		p.Description = *in.description
	}
	return appendProjectResult(nil, s.AddProject(p)), nil
}

// projectArnInput decodes and validates a body whose only member is a
// required projectArn.
func projectArnInput(body []byte) (string, *apiError) {
	m, e := decodeMembers(body)
	if e != nil {
		return "", e
	}
	arn, e := m.str("projectArn")
	if e != nil {
		return "", e
	}
	var v violations
	v.arn("projectArn", arn, true)
	if e := v.err(); e != nil {
		return "", e
	}
	return *arn, nil
}

func (s *Server) getTestGridProject(c *call) ([]byte, *apiError) {
	arn, e := projectArnInput(c.body)
	if e != nil {
		return nil, e
	}
	p, ok := s.Project(arn)
	if !ok {
		return nil, projectNotFound(arn)
	}
	return appendProjectResult(nil, p), nil
}

func (s *Server) updateTestGridProject(c *call) ([]byte, *apiError) {
	in, e := parseProjectInput(c.body, false)
	if e != nil {
		return nil, e
	}
	s.store.mu.Lock()
	p := s.store.projects[*in.projectArn]
	if p == nil {
		s.store.mu.Unlock()
		return nil, projectNotFound(*in.projectArn)
	}
	if in.name != nil {
		p.meta.Name = *in.name
	}
	if in.description != nil {
		p.meta.Description = *in.description
	}
	if in.vpc != nil {
		p.meta.VpcConfig = in.vpc
	}
	out := s.store.reportLocked(p)
	s.store.mu.Unlock()
	return appendProjectResult(nil, out), nil
}

// deleteTestGridProject deletes a project and everything under it, as the
// service does, unless one of its sessions is ACTIVE: "You cannot delete
// a project if it has active sessions" (the operation's documentation) is
// a CannotDeleteException.
func (s *Server) deleteTestGridProject(c *call) ([]byte, *apiError) {
	arn, e := projectArnInput(c.body)
	if e != nil {
		return nil, e
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	p := s.store.projects[arn]
	if p == nil {
		return nil, projectNotFound(arn)
	}
	if n := countActive(p.sessions); n > 0 {
		return nil, &apiError{status: http.StatusBadRequest, code: "CannotDeleteException",
			message: fmt.Sprintf("Project %s has %d active session(s); you cannot delete a project with active sessions.", oneline.Quote(arn, maxProjectArnLen), n)}
	}
	s.store.deleteLocked(arn)
	return []byte("{}"), nil
}

func countActive(sessions []devicefarm.TestGridSession) int {
	n := 0
	for i := range sessions {
		if sessions[i].Status == devicefarm.TestGridSessionStatusActive {
			n++
		}
	}
	return n
}

// listTestGridProjects lists projects in ascending Created order, ties by
// Arn; a nextToken resumes after the last project returned.
func (s *Server) listTestGridProjects(c *call) ([]byte, *apiError) {
	m, e := decodeMembers(c.body)
	if e != nil {
		return nil, e
	}
	maxResult, token, e := m.paging()
	if e != nil {
		return nil, e
	}
	var v violations
	v.paging(maxResult, token)
	if e := v.err(); e != nil {
		return nil, e
	}
	pc, e := s.paging(hashFields("operation", "ListTestGridProjects"), token, maxResult,
		"Invalid nextToken: it was issued for another operation.")
	if e != nil {
		return nil, e
	}

	s.store.mu.RLock()
	all := s.store.projectsLocked()
	start := 0
	if !pc.pos.start {
		arn, ok := s.store.projectByHash[pc.pos.arn]
		if !ok { // never issued: the MAC would not match
			s.store.mu.RUnlock()
			return nil, unknownPosition()
		}
		after := sessionKey{created: pc.pos.created, arn: arn}
		start, _ = slices.BinarySearchFunc(all, after, func(p Project, t sessionKey) int {
			if compareKeys(projectKey(p), t) <= 0 {
				return -1
			}
			return 1
		})
	}
	s.store.mu.RUnlock()
	page := all[start:min(len(all), start+pc.size)]
	var next *tokenPosition
	if start+len(page) < len(all) {
		p := positionAfter(projectKey(page[len(page)-1]))
		next = &p
	}
	tok, empty := s.nextToken(&pc, c.kind, next)
	if empty {
		page = nil
	}
	return appendProjectPage(nil, page, tok), nil
}
