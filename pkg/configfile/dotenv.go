package configfile

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// dotenvVar is one variable of a .env file. Values are kept only when asked
// for (Nodes, for deployed versions): for config keys the gate only asks
// whether a key is set, and .env files hold passwords.
type dotenvVar struct {
	Line, Column int

	Value                  string
	ValueLine, ValueColumn int
}

// parseDotenv reads KEY=VALUE lines strictly: blank lines and # comments are
// skipped, an "export " prefix is allowed, values may be 'single' or "double"
// quoted (quoted values may span lines) and an unquoted value ends at " #".
// Every problem is a *SyntaxError with its line and column. It returns the
// variables in file order by name (the first definition's position).
func parseDotenv(data []byte) (map[string]dotenvVar, error) {
	return readDotenv(data, false)
}

// readDotenv is parseDotenv, keeping each variable's value when values is set.
func readDotenv(data []byte, values bool) (map[string]dotenvVar, error) {
	src := string(data)
	if !utf8.ValidString(src) {
		line, col := invalidUTF8(data)
		return nil, &SyntaxError{Line: line, Column: col, Msg: "the file is not valid UTF-8"}
	}
	src = strings.TrimPrefix(src, "\ufeff")
	vars := map[string]dotenvVar{}
	p := &envParser{src: src, line: 1, values: values}
	for !p.eof() {
		p.skipBlank()
		switch {
		case p.eof():
		case p.peek() == '\n' || p.peek() == '\r':
			p.newline()
		case p.peek() == '#':
			p.skipLine()
		default:
			name, line, col, err := p.assignment()
			if err != nil {
				return nil, err
			}
			if _, dup := vars[name]; !dup {
				vars[name] = dotenvVar{Line: line, Column: col, Value: p.value, ValueLine: p.valueLine, ValueColumn: p.valueColumn}
			}
		}
	}
	return vars, nil
}

type envParser struct {
	src       string
	pos       int
	line      int
	lineStart int // byte offset where the current line starts

	// with values set, assignment leaves the value it read and where it starts
	values                 bool
	value                  string
	valueLine, valueColumn int
}

func (p *envParser) eof() bool  { return p.pos >= len(p.src) }
func (p *envParser) peek() byte { return p.src[p.pos] }
func (p *envParser) col() int   { return utf8.RuneCountInString(p.src[p.lineStart:p.pos]) + 1 }

func (p *envParser) errorf(format string, args ...any) error {
	return &SyntaxError{Line: p.line, Column: p.col(), Msg: fmt.Sprintf(format, args...)}
}

func (p *envParser) skipBlank() {
	for !p.eof() && (p.peek() == ' ' || p.peek() == '\t') {
		p.pos++
	}
}

// newline consumes "\n", "\r\n" or a lone "\r".
func (p *envParser) newline() {
	if p.peek() == '\r' {
		p.pos++
		if !p.eof() && p.peek() == '\n' {
			p.pos++
		}
	} else {
		p.pos++
	}
	p.line++
	p.lineStart = p.pos
}

func (p *envParser) skipLine() {
	for !p.eof() && p.peek() != '\n' && p.peek() != '\r' {
		p.pos++
	}
	if !p.eof() {
		p.newline()
	}
}

// endOfLine accepts blanks and an optional comment, then the line's end.
func (p *envParser) endOfLine(what string) error {
	p.skipBlank()
	if p.eof() {
		return nil
	}
	switch p.peek() {
	case '\n', '\r':
		p.newline()
		return nil
	case '#':
		p.skipLine()
		return nil
	}
	return p.errorf("unexpected text after %s: quote the whole value or start a comment with \" #\"", what)
}

func isNameStart(c byte) bool { return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }
func isNameChar(c byte) bool  { return isNameStart(c) || c >= '0' && c <= '9' || c == '.' || c == '-' }

func (p *envParser) name() (string, error) {
	if p.eof() || !isNameStart(p.peek()) {
		if p.eof() || p.peek() == '\n' || p.peek() == '\r' {
			return "", p.errorf("expected a variable name")
		}
		r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
		return "", p.errorf("a variable name cannot start with %q: use letters, digits and '_'", r)
	}
	start := p.pos
	for !p.eof() && isNameChar(p.peek()) {
		p.pos++
	}
	return p.src[start:p.pos], nil
}

// assignment reads [export ]NAME=VALUE and returns the name's position.
func (p *envParser) assignment() (string, int, int, error) {
	if strings.HasPrefix(p.src[p.pos:], "export") && len(p.src) > p.pos+6 &&
		(p.src[p.pos+6] == ' ' || p.src[p.pos+6] == '\t') {
		p.pos += 6
		p.skipBlank()
	}
	line, col := p.line, p.col()
	name, err := p.name()
	if err != nil {
		return "", 0, 0, err
	}
	p.skipBlank()
	// the "name" may be a line of a multi-line value left unquoted (a key,
	// say): errors never quote it
	if p.eof() || p.peek() != '=' {
		if p.eof() || p.peek() == '\n' || p.peek() == '\r' || p.peek() == '#' {
			return "", 0, 0, p.errorf("expected '=' after the variable name (a value that spans lines must be quoted)")
		}
		r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
		return "", 0, 0, p.errorf("unexpected %q in a variable name: expected '='", r)
	}
	p.pos++ // '='
	p.skipBlank()
	p.value, p.valueLine, p.valueColumn = "", p.line, p.col()
	if p.eof() {
		return name, line, col, nil
	}
	switch q := p.peek(); q {
	case '"', '\'':
		start := p.pos
		if err := p.quoted(q); err != nil {
			return "", 0, 0, err
		}
		if p.values {
			p.value = unquoteEnv(p.src[start+1:p.pos-1], q)
		}
		return name, line, col, p.endOfLine("the closing quote")
	default:
		// unquoted: to the end of the line or a " #" comment
		start := p.pos
		for !p.eof() && p.peek() != '\n' && p.peek() != '\r' {
			if p.peek() == '#' && p.pos > 0 && (p.src[p.pos-1] == ' ' || p.src[p.pos-1] == '\t') {
				break
			}
			p.pos++
		}
		if p.values {
			p.value = strings.TrimRight(p.src[start:p.pos], " \t")
		}
		return name, line, col, p.endOfLine("the value")
	}
}

// quoted skips a quoted value that may span lines; in double quotes a
// backslash escapes the next character.
func (p *envParser) quoted(q byte) error {
	openLine, openCol := p.line, p.col()
	p.pos++
	for !p.eof() {
		c := p.peek()
		switch {
		case c == q:
			p.pos++
			return nil
		case c == '\\' && q == '"' && p.pos+1 < len(p.src) && p.src[p.pos+1] != '\n' && p.src[p.pos+1] != '\r':
			p.pos += 2
		case c == '\n' || c == '\r':
			p.newline()
		default:
			p.pos++
		}
	}
	return &SyntaxError{Line: openLine, Column: openCol, Msg: fmt.Sprintf("the quote %q opened here is never closed", string(q))}
}

// unquoteEnv is a quoted value's text: in double quotes a backslash escapes
// the next character.
func unquoteEnv(s string, q byte) string {
	if q == '\'' || !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
