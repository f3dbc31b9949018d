// Package crack is the weak-password audit: it tries a short list of guesses
// against the password hashes of a host and reports which accounts have a
// guessable password and what kind of guess found it ("the user name
// reversed", "the 3rd most common password"), never the password and never
// the hash.
//
// The guesses for an account are, in order: those derived from the account
// (Guesses: the empty password, the user name and its variants, the words of
// the GECOS field, the host name), then the built-in list of common
// passwords (Builtin) by rank, then the words of a wordlist given by the
// user (ReadWordlist). A word is tried once per hash even when several
// sources give it.
//
// Checking a guess is left to the caller's NewVerifier, one Verifier per
// hash per worker goroutine, so that this package holds no cryptography and
// a slow scheme never blocks a fast one. Run spreads the work over all cores:
// the hashes are taken cheapest first, and the workers share the guesses of
// one hash before moving on to the next, which keeps at most one Verifier
// per worker alive (a yescrypt verifier may hold megabytes) and finishes
// each account as early as possible. An account is dropped as soon as one
// guess matches; accounts with the same hash are checked once.
//
// Nothing is kept: a matched password is not part of any result, and the
// buffers Run fills with guesses are wiped before it returns.
package crack

import (
	"context"
	"errors"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// Verifier checks guesses against one hash; not safe for concurrent use.
// Run reuses the slice it passes to Verify for the next guess and wipes it
// at the end: a Verifier must not keep it.
type Verifier interface{ Verify(password []byte) bool }

// NewVerifier makes a Verifier for a hash (one per worker goroutine). Its
// error says why the hash cannot be checked (an unknown scheme, a locked
// account); Run reports it as a Skip, with any part of the hash it quotes
// masked. Run calls it from several goroutines at once.
type NewVerifier func(hash string) (Verifier, error)

// Account is an account whose password is to be audited.
type Account struct {
	Name   string
	Gecos  string
	Hash   string // never printed, never in an error; String()/GoString() redact it
	Source string // "file:line" where the hash was read, for the report
	// Cost is the relative cost of one guess, set by the caller from the
	// hash scheme. Any unit will do as long as it is the same for every
	// account (seconds per guess makes Plan.Cost an estimate of the run's
	// CPU time). Cheaper hashes are checked first; a negative or NaN cost
	// counts as zero.
	Cost float64
}

// String names the account and where it was read, without the hash.
func (a Account) String() string {
	s := a.Name
	if a.Source != "" {
		s += " (" + a.Source + ")"
	}
	return s
}

// GoString is the Go syntax of the account with the hash redacted, so that
// %#v does not print it either.
func (a Account) GoString() string {
	h := "redacted"
	if a.Hash == "" {
		h = "empty"
	}
	return "crack.Account{Name:" + strconv.Quote(a.Name) + ", Gecos:" + strconv.Quote(a.Gecos) +
		", Hash:<" + h + ">, Source:" + strconv.Quote(a.Source) +
		", Cost:" + strconv.FormatFloat(a.Cost, 'g', -1, 64) + "}"
}

// Match is an account whose password was guessed.
type Match struct {
	Account string
	Source  string
	Kind    Kind
	// Rank is the position of the password in the built-in list (1 is the
	// most common) for KindCommon, so that a report can say "one of the
	// ten most common passwords"; 0 otherwise.
	Rank int
	// From is set when the account shares its hash with others and the
	// guess that matched was derived from another of them (its password is
	// that account's user name, say): it names that account. Empty
	// otherwise.
	From string
}

// Skip is an account whose hash could not be checked.
type Skip struct {
	Account string
	Source  string
	// Reason says why: the error of NewVerifier with any part of the hash
	// it quoted masked, or "no password hash" for an account given with an
	// empty Hash (an empty password field is not a hash; it is a finding
	// of its own, reported elsewhere).
	Reason string
}

// Result is what Run found.
type Result struct {
	// Matches holds one entry per account whose password was guessed, in
	// the order of the accounts given to Run.
	Matches []Match
	// Skipped holds the accounts that could not be checked, in the same
	// order.
	Skipped []Skip
	// Tried counts the guesses checked, that is the calls of Verify.
	Tried int64
}

// Options tunes Run.
type Options struct {
	// Words is an extra wordlist (from --wordlist), tried after the
	// built-in list. Run does not change or keep the words; empty words,
	// repeated words and words already in the built-in list are left out.
	// ReadWordlist reads one with a bound on its size.
	Words [][]byte
	// Host is the host name for host-name guesses.
	Host string
	// Workers is the number of worker goroutines; 0 or less means
	// runtime.NumCPU().
	Workers int
	// Progress, when not nil, is called with the number of guesses done
	// (checked, or made needless by a match or a hash that cannot be
	// checked) and the total: first with done 0, then at most
	// ProgressInterval apart while done changes, and once at the end
	// (with done equal to total unless the run was cancelled). Calls come
	// from one goroutine at a time.
	Progress func(done, total int64)
	// NoBuiltin skips the built-in list.
	NoBuiltin bool
}

// ProgressInterval is the least time between two calls of Options.Progress
// while Run works: often enough for a progress bar, seldom enough to cost
// nothing.
const ProgressInterval = 50 * time.Millisecond

// Plan is the size of the work Run would do for the same accounts and
// options.
type Plan struct {
	Accounts int     // accounts with a hash
	Hashes   int     // distinct hashes among them
	Guesses  int64   // guesses over all distinct hashes: Run's progress total
	Cost     float64 // sum over hashes of guesses × Account.Cost
}

// Count returns the Plan of Run for accounts and opt, without checking
// anything: the size of a --dry-run, and the total Progress will report.
func Count(accounts []Account, opt Options) Plan {
	p := newPlan(accounts, opt)
	defer p.wipe()
	var pl Plan
	for _, t := range p.targets {
		pl.Accounts += len(t.accounts)
		pl.Hashes++
		pl.Guesses += t.total
		pl.Cost += float64(t.total) * t.cost
	}
	return pl
}

// Run tries the guesses against the hashes of accounts and returns the
// accounts whose password was guessed, and those that could not be checked.
//
// Run returns when every hash is done, or within one guess per worker
// after ctx is cancelled; then it returns what was found so far with
// ctx's error. Its only other error is a nil nv.
func Run(ctx context.Context, accounts []Account, nv NewVerifier, opt Options) (Result, error) {
	if nv == nil {
		return Result{}, errors.New("crack: no verifier")
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	p := newPlan(accounts, opt)
	defer p.wipe()

	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}

	r := &runner{plan: p, nv: nv, ctx: ctx}
	for _, t := range p.targets {
		r.total += t.total
	}

	var progressDone chan struct{}
	quit := make(chan struct{})
	if opt.Progress != nil {
		opt.Progress(0, r.total)
		progressDone = make(chan struct{})
		go r.progress(opt.Progress, quit, progressDone)
	}

	var wg sync.WaitGroup
	for range workers {
		wg.Go(r.work)
	}
	wg.Wait()

	if opt.Progress != nil {
		close(quit)
		<-progressDone
		opt.Progress(r.done.Load(), r.total)
	}

	res := r.result()
	if r.done.Load() < r.total && ctx.Err() != nil {
		return res, ctx.Err()
	}
	return res, nil
}

// plan is the work of one run: the distinct hashes in the order they are
// checked, each with its guesses.
type plan struct {
	accounts []Account
	host     string
	list     list
	targets  []*target
	skipped  []skipAt // accounts with no hash
}

type skipAt struct {
	account int
	reason  string
}

// list is the built-in list followed by the user's words, without
// duplicates. The words belong to the built-in list or to the caller: they
// are read, never changed.
type list struct {
	words    [][]byte
	nBuiltin int
	set      *wordSet
}

// kind returns the kind and rank of the word at index i.
func (l *list) kind(i int) (Kind, int) {
	if i < l.nBuiltin {
		return KindCommon, i + 1
	}
	return KindWordlist, 0
}

// target is one distinct hash and the accounts that have it.
type target struct {
	hash     string
	cost     float64
	accounts []int // indexes into plan.accounts, in order

	// derived holds the guesses derived from the accounts, then come the
	// list's words: guess i is derived[i] for i < len(derived), else
	// list.words[i-len(derived)]. dups holds the indexes into the list of
	// words that are also derived guesses, sorted; they are not tried
	// twice.
	derived []derived
	dups    []int
	n       int   // len(derived) + len(list.words): the guess indexes
	total   int64 // n - len(dups): the guesses to try

	next  atomic.Int64 // next guess index to hand out
	state atomic.Int32 // open, found or failed

	// Set once, by the worker that moved state away from open.
	matches []Match // parallel to accounts
	reason  string
}

const (
	open int32 = iota
	found
	failed
)

// derived is a guess derived from an account of a target.
type derived struct {
	Guess
	origin  int // the account (index into plan.accounts) it came from
	listIdx int // index of the same word in the list, or -1
}

func newPlan(accounts []Account, opt Options) *plan {
	p := &plan{accounts: accounts, host: opt.Host}

	p.list.set = newWordSet()
	if !opt.NoBuiltin {
		for _, w := range builtin() {
			p.list.addWord(w)
		}
		p.list.nBuiltin = len(p.list.words)
	}
	for _, w := range opt.Words {
		if len(w) > 0 {
			p.list.addWord(w)
		}
	}

	byHash := make(map[string]*target)
	for i, a := range accounts {
		if a.Hash == "" {
			p.skipped = append(p.skipped, skipAt{account: i, reason: "no password hash"})
			continue
		}
		t := byHash[a.Hash]
		if t == nil {
			t = &target{hash: a.Hash}
			byHash[a.Hash] = t
			p.targets = append(p.targets, t)
		}
		t.accounts = append(t.accounts, i)
		t.cost = max(t.cost, cost(a.Cost))
	}
	// Cheapest first; equal costs keep the order of the accounts.
	sort.SliceStable(p.targets, func(i, j int) bool { return p.targets[i].cost < p.targets[j].cost })

	for _, t := range p.targets {
		for _, ai := range t.accounts {
			for _, g := range Guesses(accounts[ai], opt.Host) {
				if slices.ContainsFunc(t.derived, func(d derived) bool { return string(d.Word) == string(g.Word) }) {
					wipe(g.Word)
					continue
				}
				li := p.list.set.find(p.list.words, g.Word)
				t.derived = append(t.derived, derived{Guess: g, origin: ai, listIdx: li})
				if li >= 0 {
					t.dups = append(t.dups, li)
				}
			}
		}
		slices.Sort(t.dups)
		t.dups = slices.Compact(t.dups)
		t.n = len(t.derived) + len(p.list.words)
		t.total = int64(t.n - len(t.dups))
	}
	return p
}

// addWord appends w to the list unless it is there already.
func (l *list) addWord(w []byte) {
	if l.set.find(l.words, w) >= 0 {
		return
	}
	l.set.add(w, len(l.words))
	l.words = append(l.words, w)
}

// cost is c with what cannot be compared (NaN) or makes no sense (below
// zero) made zero.
func cost(c float64) float64 {
	if math.IsNaN(c) || c < 0 {
		return 0
	}
	return c
}

// wipe overwrites the guesses the plan derived from the accounts. The list
// is not the plan's to wipe.
func (p *plan) wipe() {
	for _, t := range p.targets {
		for _, d := range t.derived {
			wipe(d.Word)
		}
	}
}

// word returns guess i of t, and false for a list word that duplicates a
// derived guess and is not to be tried.
func (t *target) word(l *list, i int) ([]byte, bool) {
	if i < len(t.derived) {
		return t.derived[i].Word, true
	}
	li := i - len(t.derived)
	if _, dup := slices.BinarySearch(t.dups, li); dup {
		return nil, false
	}
	return l.words[li], true
}

// real counts the guesses to try among indexes [from, to) of t.
func (t *target) real(from, to int) int64 {
	if from >= to {
		return 0
	}
	n := int64(to - from)
	nd := len(t.derived)
	lo, _ := slices.BinarySearch(t.dups, from-nd)
	hi, _ := slices.BinarySearch(t.dups, to-nd)
	return n - int64(hi-lo)
}

// runner is the shared state of the workers of one Run.
type runner struct {
	*plan
	nv    NewVerifier
	total int64
	// ctx is checked before every guess: Err is an atomic load for the
	// contexts of the standard library, cheap next to any hash.
	ctx context.Context

	cur   atomic.Int64 // index of the target being handed out
	done  atomic.Int64 // guesses done, for Progress
	tried atomic.Int64 // Verify calls
}

// Chunk sizes: a worker takes guesses of a hash a chunk at a time. A chunk
// starts at one guess, which keeps the order of the guesses and the load
// balance when each guess is slow, and grows while chunks are quick, so
// that a fast hash does not pay for the shared counter on every guess.
const (
	maxChunk  = 64
	fastChunk = 200 * time.Microsecond // a chunk quicker than this doubles
	slowChunk = 20 * time.Millisecond  // a chunk slower than this halves
)

// work is one worker: it takes chunks of guesses of the current target
// until every target is done or the run is stopped.
func (r *runner) work() {
	var (
		buf   = make([]byte, 0, 64) // the guess being checked: the only copy Verify sees
		ti    = -1                  // the target of v
		v     Verifier
		chunk = int64(1)
	)
	defer func() { wipe(buf[:cap(buf)]) }()

	for r.ctx.Err() == nil {
		i := int(r.cur.Load())
		if i >= len(r.targets) {
			return
		}
		t := r.targets[i]
		if i != ti {
			// Past a target the worker never comes back to it:
			// drop its verifier.
			ti, v, chunk = i, nil, 1
		}
		if t.state.Load() != open {
			r.cur.CompareAndSwap(int64(i), int64(i)+1)
			continue
		}
		end := t.next.Add(chunk)
		start := end - chunk
		if start >= int64(t.n) {
			r.cur.CompareAndSwap(int64(i), int64(i)+1)
			continue
		}
		end = min(end, int64(t.n))

		if v == nil {
			var err error
			v, err = r.nv(t.hash)
			if err != nil || v == nil {
				if err == nil {
					err = errors.New("no verifier for this hash")
				}
				v = nil
				r.fail(t, err)
				r.done.Add(t.real(int(start), int(end)))
				continue
			}
		}

		began := time.Now()
		var tried int64
		stopped := false
		for g := int(start); g < int(end); g++ {
			if r.ctx.Err() != nil {
				stopped = true
				break
			}
			if t.state.Load() != open {
				break
			}
			w, ok := t.word(&r.list, g)
			if !ok {
				continue
			}
			buf = load(buf, w)
			tried++
			if v.Verify(buf) {
				r.match(t, g, buf)
				break
			}
		}
		wipe(buf)
		r.tried.Add(tried)
		if stopped {
			r.done.Add(tried)
			return
		}
		r.done.Add(t.real(int(start), int(end)))

		switch d := time.Since(began); {
		case d < fastChunk && chunk < maxChunk:
			chunk *= 2
		case d > slowChunk && chunk > 1:
			chunk /= 2
		}
	}
}

// load copies w into buf, growing it as needed. A buffer outgrown is wiped
// before it is dropped: it held the previous guesses.
func load(buf, w []byte) []byte {
	if cap(buf) < len(w) {
		wipe(buf[:cap(buf)])
		buf = make([]byte, 0, max(len(w), 2*cap(buf)))
	}
	buf = buf[:len(w)]
	copy(buf, w)
	return buf
}

// finish hands out no more guesses of t, and counts as done those that were
// never handed out.
func (r *runner) finish(t *target) {
	old := t.next.Swap(int64(t.n))
	if old < int64(t.n) {
		r.done.Add(t.real(int(old), t.n))
	}
}

// fail marks t as not checkable, unless it is done already.
func (r *runner) fail(t *target, err error) {
	if !t.state.CompareAndSwap(open, failed) {
		return
	}
	t.reason = maskHash(err.Error(), t.hash)
	r.finish(t)
}

// match records that guess g (whose word is w) matched t, unless another
// worker matched it first. The kind is worked out for each account of the
// hash, since a guess derived from one account may be something else for
// another. w itself is not kept.
func (r *runner) match(t *target, g int, w []byte) {
	if !t.state.CompareAndSwap(open, found) {
		return
	}
	t.matches = make([]Match, len(t.accounts))
	for k, ai := range t.accounts {
		a := r.accounts[ai]
		m := Match{Account: a.Name, Source: a.Source}
		switch {
		case g >= len(t.derived):
			m.Kind, m.Rank = r.list.kind(g - len(t.derived))
		case t.derived[g].origin == ai:
			m.Kind = t.derived[g].Kind
		default:
			own := Guesses(a, r.host)
			if j := indexWord(own, w); j >= 0 {
				m.Kind = own[j].Kind
			} else if li := t.derived[g].listIdx; li >= 0 {
				m.Kind, m.Rank = r.list.kind(li)
			} else {
				m.Kind = t.derived[g].Kind
				m.From = r.accounts[t.derived[g].origin].Name
			}
			wipeGuesses(own)
		}
		t.matches[k] = m
	}
	r.finish(t)
}

// progress calls f every ProgressInterval while done changes, until quit
// is closed.
func (r *runner) progress(f func(done, total int64), quit <-chan struct{}, exited chan<- struct{}) {
	defer close(exited)
	tick := time.NewTicker(ProgressInterval)
	defer tick.Stop()
	var last int64
	for {
		select {
		case <-quit:
			return
		case <-tick.C:
			if d := r.done.Load(); d != last {
				last = d
				f(d, r.total)
			}
		}
	}
}

// result gathers the matches and skips in the order of the accounts. It
// runs after the workers have stopped.
func (r *runner) result() Result {
	res := Result{Tried: r.tried.Load()}
	matches := make(map[int]Match)
	skips := make(map[int]string)
	for _, s := range r.skipped {
		skips[s.account] = s.reason
	}
	for _, t := range r.targets {
		switch t.state.Load() {
		case found:
			for k, ai := range t.accounts {
				matches[ai] = t.matches[k]
			}
		case failed:
			for _, ai := range t.accounts {
				skips[ai] = t.reason
			}
		}
	}
	for i, a := range r.accounts {
		if m, ok := matches[i]; ok {
			res.Matches = append(res.Matches, m)
		}
		if why, ok := skips[i]; ok {
			res.Skipped = append(res.Skipped, Skip{Account: a.Name, Source: a.Source, Reason: why})
		}
	}
	return res
}

// minQuoted is the length from which a run of characters of the hash found
// in an error message is taken to be a quote of it and masked. Shorter
// runs are scheme names and parameters ("$6$", "rounds=") that say what is
// wrong without giving the hash away.
const minQuoted = 8

// maxReason bounds the length of a Skip.Reason.
const maxReason = 200

// maskHash returns msg with every run of at least minQuoted bytes that also
// occurs in hash replaced by "…", so that an error quoting the hash, all
// of it or a part, does not carry it into a report.
func maskHash(msg, hash string) string {
	if len(msg) > 4*maxReason {
		msg = msg[:4*maxReason]
	}
	mask := make([]bool, len(msg))
	for i := range msg {
		for j := range hash {
			n := 0
			for i+n < len(msg) && j+n < len(hash) && msg[i+n] == hash[j+n] {
				n++
			}
			if n >= minQuoted {
				for k := i; k < i+n; k++ {
					mask[k] = true
				}
			}
		}
	}
	var b strings.Builder
	for i := 0; i < len(msg); i++ {
		if !mask[i] {
			b.WriteByte(msg[i])
			continue
		}
		b.WriteString("…")
		for i+1 < len(msg) && mask[i+1] {
			i++
		}
	}
	s := b.String()
	if len(s) > maxReason {
		cut := maxReason
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	if s == "" {
		s = "hash cannot be checked"
	}
	return s
}
