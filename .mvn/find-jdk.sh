# Sourced by ./mvnw and ./optlab: points JAVA_HOME at a JDK >= 25 (the build's release). Keeps a
# JAVA_HOME that already qualifies, else searches the usual install places; with none, stops with
# one sentence. POSIX sh, no arrays.
optlab_jdk_major() { # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/javac" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}
optlab_find_jdk() {
  want=25
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/* "$HOME"/.jdks/* /opt/java/* /opt/jdk*; do
    [ -n "$cand" ] && [ -d "$cand" ] || continue
    v=$(optlab_jdk_major "$cand")
    if [ -n "$v" ] && [ "$v" -ge "$want" ]; then
      JAVA_HOME=$cand
      export JAVA_HOME
      return 0
    fi
  done
  echo "optlab needs a JDK $want or newer and found none (looked at JAVA_HOME, /usr/lib/jvm, ~/.jdks, /opt); install one, e.g. Temurin 25, or set JAVA_HOME to it." >&2
  exit 1
}
case $- in *f*) optlab_noglob=1; set +f ;; *) optlab_noglob= ;; esac
optlab_find_jdk
[ -z "$optlab_noglob" ] || set -f
