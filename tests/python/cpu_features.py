"""Which vector instruction sets this CPU has, for tests that force a kernel path: forcing a
path the CPU lacks silently runs another one, so such a test is skipped with the reason."""
import platform


def cpu_flags():
    """The feature flags of /proc/cpuinfo (empty where there is none)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def missing(isa, table="gemm"):
    """Why this CPU cannot run `isa` (generic/scalar, avx2, avx512), or None: of the portable
    GEMM's paths (table="gemm", EMBER_PORTABLE_ISA) or of the cpu backend's kernel tables
    (table="kernels", EMBER_CPU_ISA; its AVX-512 table also needs AVX-512VL)."""
    if isa in ("generic", "scalar"):
        return None
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return f"{isa} needs an x86-64 CPU, this is {platform.machine()}"
    need = {"avx2": ["avx2", "fma"], "avx512": ["avx2", "fma", "avx512f"]}[isa]
    if table == "kernels" and isa == "avx512":
        need = need + ["avx512vl"]
    flags = cpu_flags()
    lacking = [f for f in need if f not in flags]
    return f"CPU lacks {', '.join(lacking)} for {isa}" if lacking else None
