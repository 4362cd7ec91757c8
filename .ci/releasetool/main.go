// Command releasetool is what the release scripts in .ci need beyond the
// go command: it publishes a module into a file-based module proxy, as a
// proxy serves a tagged version, and it writes reproducible archives of
// release binaries. It is its own module so that golang.org/x/mod never
// enters the library's or the CLI's module graph.
//
//	releasetool publish -proxy DIR -module PATH -version VERSION -dir SRC
//	releasetool archive -o OUT.tar.gz|OUT.zip -mtime UNIX -prefix DIR FILE...
package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: releasetool publish|archive [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "publish":
		err = runPublish(os.Args[2:])
	case "archive":
		err = runArchive(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "releasetool:", err)
		os.Exit(1)
	}
}

// runPublish writes VERSION.info, VERSION.mod, VERSION.zip and list under
// DIR/<escaped module path>/@v, the layout GOPROXY=file://DIR reads. The
// module's go.mod must declare PATH; the zip holds SRC as
// golang.org/x/mod/zip packs it (nested modules, vendor and VCS files left
// out), so it matches what a proxy would serve for a tag of that tree.
func runPublish(args []string) error {
	fs := flag.NewFlagSet("publish", flag.ContinueOnError)
	proxy := fs.String("proxy", "", "proxy directory")
	path := fs.String("module", "", "module path")
	version := fs.String("version", "", "module version (a semantic version tag)")
	dir := fs.String("dir", "", "module root directory")
	at := fs.String("time", "", "RFC 3339 time recorded in .info (default: now)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *proxy == "" || *path == "" || *version == "" || *dir == "" {
		return errors.New("publish needs -proxy, -module, -version and -dir")
	}
	mv := module.Version{Path: *path, Version: *version}
	if err := module.Check(mv.Path, mv.Version); err != nil {
		return err
	}
	gomod, err := os.ReadFile(filepath.Join(*dir, "go.mod"))
	if err != nil {
		return err
	}
	mf, err := modfile.ParseLax("go.mod", gomod, nil)
	if err != nil {
		return err
	}
	if mf.Module == nil || mf.Module.Mod.Path != mv.Path {
		return fmt.Errorf("%s/go.mod does not declare module %s", *dir, mv.Path)
	}
	escaped, err := module.EscapePath(mv.Path)
	if err != nil {
		return err
	}
	vdir := filepath.Join(*proxy, filepath.FromSlash(escaped), "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return err
	}
	var zbuf bytes.Buffer
	if err := modzip.CreateFromDir(&zbuf, mv, *dir); err != nil {
		return err
	}
	stamp := time.Now().UTC()
	if *at != "" {
		if stamp, err = time.Parse(time.RFC3339, *at); err != nil {
			return err
		}
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{mv.Version, stamp.UTC()})
	if err != nil {
		return err
	}
	files := map[string][]byte{
		mv.Version + ".info": info,
		mv.Version + ".mod":  gomod,
		mv.Version + ".zip":  zbuf.Bytes(),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(vdir, name), b, 0o644); err != nil {
			return err
		}
	}
	return addToList(filepath.Join(vdir, "list"), mv.Version)
}

// addToList adds version to a proxy's list file, once.
func addToList(list, version string) error {
	b, err := os.ReadFile(list)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	versions := strings.Fields(string(b))
	if !slices.Contains(versions, version) {
		versions = append(versions, version)
	}
	return os.WriteFile(list, []byte(strings.Join(versions, "\n")+"\n"), 0o644)
}

// runArchive packs FILEs into a .tar.gz or .zip (by the output's name)
// under the directory prefix, in the order given, with every entry's time
// set to mtime and no owner names: the same inputs give the same bytes.
func runArchive(args []string) error {
	fs := flag.NewFlagSet("archive", flag.ContinueOnError)
	out := fs.String("o", "", "output archive (.tar.gz or .zip)")
	mtime := fs.Int64("mtime", 0, "modification time of every entry, in Unix seconds")
	prefix := fs.String("prefix", "", "directory the files are stored under")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *prefix == "" || fs.NArg() == 0 {
		return errors.New("archive needs -o, -prefix and at least one file")
	}
	when := time.Unix(*mtime, 0).UTC()
	var buf bytes.Buffer
	var err error
	switch {
	case strings.HasSuffix(*out, ".tar.gz"):
		err = writeTarGz(&buf, *prefix, when, fs.Args())
	case strings.HasSuffix(*out, ".zip"):
		err = writeZip(&buf, *prefix, when, fs.Args())
	default:
		err = fmt.Errorf("%s: want a .tar.gz or .zip name", *out)
	}
	if err != nil {
		return err
	}
	return os.WriteFile(*out, buf.Bytes(), 0o644)
}

// readEntry returns a file's bytes and its permission in an archive:
// executables stay executable, nothing else of the file's metadata is kept.
func readEntry(f string) ([]byte, int64, error) {
	fi, err := os.Stat(f)
	if err != nil {
		return nil, 0, err
	}
	b, err := os.ReadFile(f)
	if err != nil {
		return nil, 0, err
	}
	if fi.Mode()&0o111 != 0 {
		return b, 0o755, nil
	}
	return b, 0o644, nil
}

func writeTarGz(w io.Writer, prefix string, when time.Time, files []string) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	for _, f := range files {
		b, perm, err := readEntry(f)
		if err != nil {
			return err
		}
		hdr := &tar.Header{
			Name:     prefix + "/" + filepath.Base(f),
			Mode:     perm,
			Size:     int64(len(b)),
			ModTime:  when,
			Typeflag: tar.TypeReg,
			Format:   tar.FormatPAX,
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(b); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func writeZip(w io.Writer, prefix string, when time.Time, files []string) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		b, perm, err := readEntry(f)
		if err != nil {
			return err
		}
		hdr := &zip.FileHeader{
			Name:     prefix + "/" + filepath.Base(f),
			Method:   zip.Deflate,
			Modified: when,
		}
		hdr.SetMode(os.FileMode(perm))
		fw, err := zw.CreateHeader(hdr)
		if err != nil {
			return err
		}
		if _, err := fw.Write(b); err != nil {
			return err
		}
	}
	return zw.Close()
}
