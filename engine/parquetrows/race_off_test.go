//go:build !race

package parquetrows

const raceEnabled = false
