// Package schema holds the JSON Schemas (draft 2020-12) of the upgrade
// manifest (kind: Upgrade) and the policy (kind: Policy), for editors such as
// the YAML language server. The schemas describe what the decoders in
// packages manifest and policy accept; the tests keep the two in step.
package schema

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
)

var (
	//go:embed upgrade.schema.json
	upgradeSchema []byte
	//go:embed policy.schema.json
	policySchema []byte
)

// Names of the schemas, as For and `upgradegate schema NAME` take them.
const (
	NameUpgrade = "upgrade"
	NamePolicy  = "policy"
)

// Upgrade returns the JSON Schema of the upgrade manifest (kind: Upgrade).
func Upgrade() []byte { return bytes.Clone(upgradeSchema) }

// Policy returns the JSON Schema of the policy (kind: Policy).
func Policy() []byte { return bytes.Clone(policySchema) }

// Names returns the names For accepts, in the order to list them.
func Names() []string { return []string{NameUpgrade, NamePolicy} }

// For returns the schema called name ("upgrade" or "policy", case
// insensitive); an unknown name is an error that lists the valid ones.
func For(name string) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case NameUpgrade:
		return Upgrade(), nil
	case NamePolicy:
		return Policy(), nil
	}
	return nil, fmt.Errorf("unknown schema %q: expected one of %s", name, strings.Join(Names(), ", "))
}
