package devicefarmtest

// Replace replaces all the data (projects, sessions, actions, artifacts
// sessions not visible yet and test grid URLs) with what fill adds to an empty Server of the same
// options and epoch, in one step: a call running meanwhile sees the old
// data or the new, never a mix or nothing. fill builds the new data before
// the switch, without holding up calls; if it fails, nothing changes and
// its error is returned. A nextToken issued before the switch is refused
// afterwards with an ArgumentException saying the data was reset (its
// position may name sessions the new data does not hold). Faults, the
// request log and the latency are kept.
func (s *Server) Replace(fill func(*Server) error) error {
	tmp := NewUnstartedServer(func(o *Options) { *o = s.opts; o.Epoch = s.epoch })
	defer tmp.Close()
	if err := fill(tmp); err != nil {
		return err
	}
	tmp.store.mu.Lock()
	defer tmp.store.mu.Unlock()
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	for h, arn := range tmp.store.projectByHash {
		s.store.projectByHash[h] = arn
	}
	s.store.projects = tmp.store.projects
	s.store.sessionProject = tmp.store.sessionProject
	s.store.artifacts = tmp.store.artifacts
	s.store.grids = tmp.store.grids
	s.store.pending = tmp.store.pending
	s.resetSerial.Store(s.tokenSerial.Load())
	return nil
}
