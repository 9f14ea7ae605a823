//go:build race

package upgradepath

const raceEnabled = true
