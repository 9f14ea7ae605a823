//go:build !race

package upgradepath

const raceEnabled = false
