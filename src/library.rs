//! The clip library: adding, removing and assigning clips (filled in below).
