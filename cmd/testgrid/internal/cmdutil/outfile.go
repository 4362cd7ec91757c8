package cmdutil

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// AtomicFile is an output file written atomically: the bytes go to a
// temporary file in the same directory, which Commit syncs and renames
// over the path, and Abort removes. Until Commit, the path is untouched
// (a file already there keeps its content), so an error or an
// interruption never leaves half a file.
type AtomicFile struct {
	f    *os.File
	path string
	done bool
}

// CreateAtomic starts writing path atomically. The temporary file is
// named after it (".NAME.tmp-RANDOM") in its directory, so that the
// rename stays on one file system.
func CreateAtomic(path string) (*AtomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		// Name the file asked for, not the temporary one.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &fs.PathError{Op: "create", Path: path, Err: err}
	}
	return &AtomicFile{f: f, path: path}, nil
}

// Write writes to the temporary file.
func (a *AtomicFile) Write(p []byte) (int, error) { return a.f.Write(p) }

// Commit syncs the temporary file to disk and renames it over the path.
// The file gets the mode of the file it replaces, else 0644 (as the shell
// would create it, under the usual umask). On error the temporary file is
// removed.
func (a *AtomicFile) Commit() error {
	if a.done {
		return errors.New("output file already closed")
	}
	a.done = true
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(a.path); err == nil && fi.Mode().IsRegular() {
		mode = fi.Mode().Perm()
	}
	err := a.f.Chmod(mode)
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.f.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.f.Name())
	}
	return err
}

// Abort removes the temporary file, leaving the path as it was. It does
// nothing after Commit or another Abort.
func (a *AtomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.f.Close()
	os.Remove(a.f.Name())
}

// Output is where a command writes its result: standard output, or the
// file of -o/--output-file, written atomically.
type Output struct {
	io.Writer
	file *AtomicFile
}

// OpenOutput returns standard output when path is "" or "-", else an
// atomic file at path. A file that cannot be created is an OutputError.
func OpenOutput(path string, stdout io.Writer) (*Output, error) {
	if path == "" || path == "-" {
		return &Output{Writer: stdout}, nil
	}
	f, err := CreateAtomic(path)
	if err != nil {
		return nil, &OutputError{Err: err}
	}
	return &Output{Writer: f, file: f}, nil
}

// IsFile reports whether the output goes to a file rather than standard
// output.
func (o *Output) IsFile() bool { return o.file != nil }

// Commit puts the file in place (AtomicFile.Commit); an error is an
// OutputError. It does nothing for standard output.
func (o *Output) Commit() error {
	if o.file == nil {
		return nil
	}
	if err := o.file.Commit(); err != nil {
		return &OutputError{Err: err}
	}
	return nil
}

// Abort discards the file (AtomicFile.Abort); nothing for standard output.
func (o *Output) Abort() {
	if o.file != nil {
		o.file.Abort()
	}
}
