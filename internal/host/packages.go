package host

import (
	"bufio"
	"bytes"
	"path"
	"runtime"
	"strings"
	"sync"

	"bastion/internal/knowledge"
	"bastion/internal/parse/dpkg"
	"bastion/internal/parse/lslpp"
	"bastion/internal/target"
)

const dpkgInfo = "/var/lib/dpkg/info"

// owners finds the package (dpkg) or fileset (AIX lslpp -w capture) that
// installed each program bastion names.
func (b *builder) owners() {
	// Only programs of enabled starts that can appear in the services
	// table (those that say where they listen, and those the knowledge base
	// gives ports), and the programs seen holding sockets.
	want := map[string]bool{}
	for _, s := range b.f.Starts {
		if !s.Enabled {
			continue // a disabled start's package matters less than the time to find it
		}
		if s.Proto == "" {
			d, ok := knowledge.Lookup(s.Program)
			if !ok || len(d.Ports) == 0 && !d.SuperServer {
				continue
			}
		}
		for _, p := range []string{s.Resolved, s.Program} {
			if strings.HasPrefix(p, "/") {
				want[p] = true
			}
		}
	}
	for _, s := range b.f.Sockets {
		if strings.HasPrefix(s.Exe, "/") {
			want[s.Exe] = true
		}
	}
	if len(want) == 0 {
		return
	}
	if b.f.Platform.OS == target.AIX {
		b.lslppOwners(want)
		return
	}
	b.dpkgOwners(want)
}

// lslppOwners reads captured lslpp -w output.
func (b *builder) lslppOwners(want map[string]bool) {
	data, err := b.t.Capture(target.CaptureLslpp)
	if err != nil {
		return
	}
	name := target.CapturePath(target.CaptureLslpp)
	owners, err := lslpp.Parse(bytes.NewReader(data), name)
	b.parseGaps(err, "filesets of daemons")
	for _, o := range owners {
		b.f.Owners[o.Path] = o.Fileset
	}
}

// dpkgOwners scans dpkg's file lists for the wanted paths, in parallel, and
// without building an index of every installed file: a set of the wanted
// paths (with their merged-/usr aliases) is checked against each line.
func (b *builder) dpkgOwners(want map[string]bool) {
	ents, err := b.t.ReadDir(dpkgInfo)
	if err != nil {
		if !isNotExist(err) {
			b.gap(dpkgInfo, "packages of daemons", err)
		}
		return
	}
	alias := map[string]string{} // path as listed -> path wanted
	for p := range want {
		for _, a := range append([]string{p}, dpkg.Aliases(p)...) {
			if _, ok := alias[a]; !ok {
				alias[a] = p
			}
		}
	}
	jobs := make(chan string)
	left := len(want)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) * 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// One small buffer per worker, reused: the lists add up to
			// megabytes, and a fresh process pays for every page.
			br := bufio.NewReaderSize(nil, 32<<10)
			for name := range jobs {
				pkg, _ := dpkg.PackageFromListName(name)
				f, err := b.t.Open(path.Join(dpkgInfo, name))
				if err != nil {
					continue
				}
				br.Reset(f)
				for {
					line, err := br.ReadSlice('\n')
					if len(line) > 0 && err == nil {
						line = line[:len(line)-1]
					}
					if p, ok := alias[string(line)]; ok && len(line) > 0 {
						mu.Lock()
						if _, dup := b.f.Owners[p]; !dup {
							b.f.Owners[p] = pkg
							left--
						}
						mu.Unlock()
					}
					if err == bufio.ErrBufferFull {
						// A line longer than any path: skip the rest of it.
						for err == bufio.ErrBufferFull {
							_, err = br.ReadSlice('\n')
						}
					}
					if err != nil {
						break
					}
				}
				f.Close()
			}
		}()
	}
	for _, e := range ents {
		mu.Lock()
		done := left == 0
		mu.Unlock()
		if done {
			break // every wanted program has its package
		}
		if _, ok := dpkg.PackageFromListName(e.Name()); ok {
			jobs <- e.Name()
		}
	}
	close(jobs)
	wg.Wait()
}
