//go:build race

package parquetrows

// raceEnabled lets the slowest real-file tests cover one month instead of
// two under the race detector, which runs them about ten times slower.
const raceEnabled = true
