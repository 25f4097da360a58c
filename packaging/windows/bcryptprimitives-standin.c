/* A stand-in for Windows' bcryptprimitives.dll, for running the Windows build under Wine only.
 *
 * cryptography's Rust extension (pypdf's AES, for encrypted PDFs) takes its random numbers from
 * ProcessPrng, which Windows 10 and later export from bcryptprimitives.dll; Wine 8 has no such
 * DLL, so the extension cannot load. This one forwards to BCryptGenRandom, which Wine has: real
 * random numbers, not a dummy.
 *
 * A TEST FIXTURE, like icuuc-standin.c: packaging/windows/build.sh compiles it into the Wine
 * prefix's system32; PyInstaller leaves system DLLs out, and a real Windows uses its own.
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
    /* BCryptGenRandom takes a ULONG length: ask in pieces for the (theoretical) larger sizes. */
    while (size > 0) {
        ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG))) {
            return FALSE;
        }
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}
