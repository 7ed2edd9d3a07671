package dev.spoor.stack.doctor;

/** The outcome of one prerequisite check, with the exact command or setting that fixes a failure. */
public record Check(String name, Outcome outcome, String detail, String fix) {
  public enum Outcome { OK, WARN, FAIL }

  public static Check ok(String name, String detail) {
    return new Check(name, Outcome.OK, detail, "");
  }

  public static Check warn(String name, String detail, String fix) {
    return new Check(name, Outcome.WARN, detail, fix);
  }

  public static Check fail(String name, String detail, String fix) {
    return new Check(name, Outcome.FAIL, detail, fix);
  }
}
