# Run with Jython 2.7 (NOT CPython):
#   jython wlst_syntax_check.py [--marker TEXT] FILE.py [...]
# Checks every file in one JVM (JVM start costs ~2 s):
# 1) compile() with the parser WLST uses (Jython 2.7): catches f-strings,
#    print(..., sep=/file=), 'raise X from e', bad indentation, unbalanced brackets.
# 2) a tokenize pass: Jython 2.7.3's compile() silently ACCEPTS an unterminated
#    '...' string when more code follows on the next line, so ERRORTOKENs are errors.
# 3) with --marker: TEXT may only occur inside string literals (or comments); a NAME or
#    operator token containing it means a value escaped its quotes (injection).
# No WebLogic needed. Exit 0 if all files pass, 1 otherwise. Undefined WLST names
# (cmo, connect, ...) are NOT checked.
import sys, tokenize, StringIO

def check(path, marker):
    f = open(path, 'rb')
    try:
        src = f.read()
    finally:
        f.close()
    try:
        compile(src, path, 'exec')
    except SyntaxError, e:
        return ['%s:%s:%s: SyntaxError: %s: %r' % (path, e.lineno, e.offset, e.msg, (e.text or '').strip())]
    errs = []
    try:
        for t in tokenize.generate_tokens(StringIO.StringIO(src).readline):
            if t[0] == tokenize.ERRORTOKEN and t[1].strip():
                errs.append('%s:%s:%s: unterminated string or stray character %r: %r'
                            % (path, t[2][0], t[2][1] + 1, t[1], t[4].strip()))
            elif marker and marker in t[1] and t[0] not in (tokenize.STRING, tokenize.COMMENT):
                errs.append('%s:%s:%s: marker %r outside a string literal (injection): %r'
                            % (path, t[2][0], t[2][1] + 1, marker, t[4].strip()))
    except tokenize.TokenError, e:
        errs.append('%s: tokenize: %s' % (path, e.args[0]))
    return errs

args = sys.argv[1:]
marker = None
if len(args) >= 2 and args[0] == '--marker':
    marker = args[1]
    args = args[2:]
rc = 0
for path in args:
    try:
        errs = check(path, marker)
    except IOError, e:
        errs = ['%s: %s' % (path, e)]
    if errs:
        rc = 1
        for e in errs:
            print 'FAIL ' + e
    else:
        print 'ok   ' + path
sys.exit(rc)
