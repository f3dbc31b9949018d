//go:build !race

package yescrypt

// raceEnabled reports whether the race detector is on; the tests then
// skip computations too slow or too large to instrument.
const raceEnabled = false
