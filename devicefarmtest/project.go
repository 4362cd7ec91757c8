package devicefarmtest

import (
	"cmp"
	"crypto/rand"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/testgridkit/devicefarm/internal/uuid"
)

// Project is a test grid project, as AddProject takes it and Projects
// reports it.
type Project struct {
	// Arn is the project ARN.
	Arn string
	// Name and Description are the project's name and description, as
	// CreateTestGridProject and UpdateTestGridProject set them.
	Name, Description string
	// VpcConfig is the VPC configuration, nil if none.
	VpcConfig *VpcConfig
	// Created is when the project was created (UTC, millisecond precision).
	Created time.Time
	// Sessions is the number of sessions the project holds, as Projects
	// reports it; AddProject ignores it.
	Sessions int
}

// VpcConfig is a project's VPC configuration (TestGridVpcConfig). The
// fake stores and returns it; it connects nothing.
type VpcConfig struct {
	SecurityGroupIds []string
	SubnetIds        []string
	VpcId            string
}

// clone returns a copy of p that shares no slices with it.
func (p Project) clone() Project {
	if p.VpcConfig != nil {
		v := *p.VpcConfig
		v.SecurityGroupIds = slices.Clone(v.SecurityGroupIds)
		v.SubnetIds = slices.Clone(v.SubnetIds)
		p.VpcConfig = &v
	}
	return p
}

// AddProject registers a test grid project and returns it as stored.
// Zero fields take defaults: an Arn shaped like
// arn:aws:devicefarm:REGION:123456789012:testgrid-project:UUID (REGION the
// server's, UUID random), a Name from the ARN's last part, and a Created
// time 30 days before Epoch (before every session Seed generates). Adding
// a project that exists keeps its sessions and takes the non-zero fields
// of p. Listing a project never added fails with NotFoundException.
func (s *Server) AddProject(p Project) Project {
	if p.Arn == "" {
		p.Arn = s.newProjectArn()
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	if old := s.store.projects[p.Arn]; old != nil {
		m := &old.meta
		m.Name = cmp.Or(p.Name, m.Name)
		m.Description = cmp.Or(p.Description, m.Description)
		if p.VpcConfig != nil {
			m.VpcConfig = p.clone().VpcConfig
		}
		if !p.Created.IsZero() {
			m.Created = truncMillis(p.Created)
		}
		return s.store.reportLocked(old)
	}
	meta := s.defaultProject(p.Arn)
	meta.Name = cmp.Or(p.Name, meta.Name)
	meta.Description = p.Description
	meta.VpcConfig = p.clone().VpcConfig
	if !p.Created.IsZero() {
		meta.Created = truncMillis(p.Created)
	}
	return s.store.reportLocked(s.store.projectLocked(meta))
}

// defaultProject returns the project AddProject registers for arn when
// given nothing else.
func (s *Server) defaultProject(arn string) Project {
	name := arn[strings.LastIndexAny(arn, ":/")+1:]
	if name == "" || !nonBlankPattern.MatchString(name) {
		name = "project"
	}
	for utf8.RuneCountInString(name) > maxResourceNameLen {
		_, n := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-n]
	}
	return Project{Arn: arn, Name: name, Created: s.epoch.Add(-seedWindow)}
}

// newProjectArn returns a new random project ARN in the server's region.
func (s *Server) newProjectArn() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	return "arn:aws:devicefarm:" + s.opts.Region + ":" + fakeAccount + ":testgrid-project:" + uuid.Format(u)
}

// fakeAccount is the account ID in the ARNs the fake makes.
const fakeAccount = "123456789012"

// reportLocked returns a project as Projects reports it. s.mu must be held.
func (s *store) reportLocked(p *project) Project {
	out := p.meta.clone()
	out.Sessions = len(p.sessions)
	return out
}

// Projects returns the registered projects, in ListTestGridProjects order
// (ascending Created, ties by Arn).
func (s *Server) Projects() []Project {
	s.revealDue()
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	return s.store.projectsLocked()
}

func (s *store) projectsLocked() []Project {
	out := make([]Project, 0, len(s.projects))
	for _, p := range s.projects {
		out = append(out, s.reportLocked(p))
	}
	slices.SortFunc(out, func(a, b Project) int { return compareKeys(projectKey(a), projectKey(b)) })
	return out
}

func projectKey(p Project) sessionKey {
	return sessionKey{created: unixMillis(p.Created), arn: p.Arn}
}

// Project returns the project with this ARN, and whether it exists.
func (s *Server) Project(arn string) (Project, bool) {
	s.revealDue()
	s.store.mu.RLock()
	defer s.store.mu.RUnlock()
	p := s.store.projects[arn]
	if p == nil {
		return Project{}, false
	}
	return s.store.reportLocked(p), true
}

// DeleteProject deletes a project with its sessions, their actions and
// artifacts and its test grid URLs, as DeleteTestGridProject does, but
// even when a session is ACTIVE. It reports whether the project existed.
func (s *Server) DeleteProject(arn string) bool {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	return s.store.deleteLocked(arn)
}

func (s *store) deleteLocked(arn string) bool {
	p := s.projects[arn]
	if p == nil {
		return false
	}
	for _, ss := range p.sessions {
		delete(s.sessionProject, ss.Arn)
	}
	for _, d := range p.data {
		for _, a := range d.artifacts {
			delete(s.artifacts, a.id)
		}
	}
	for tok, g := range s.grids {
		if g.projectArn == arn {
			delete(s.grids, tok)
		}
	}
	delete(s.projects, arn)
	return true
}

// ClearProjects forgets every project, with its sessions, actions,
// artifacts and test grid URLs. A nextToken issued before resumes again
// only if its project and session come back.
func (s *Server) ClearProjects() {
	s.store.mu.Lock()
	s.store.init()
	s.store.mu.Unlock()
}
