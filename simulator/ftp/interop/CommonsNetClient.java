import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPFileFilters;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;

/**
 * Apache Commons Net as an FTP client of the interoperability tests: the FTP
 * library of many Java and Android apps.
 *
 * <p>Usage: {@code java CommonsNetClient HOST PORT LOGIN PASSWORD plain|tls < operations}
 *
 * <p>Runs the operations of line-client.ts (one a line on standard input,
 * fields separated by tabs) in one session, in passive mode and binary type,
 * and prints their results the same way. With {@code tls} the session is an
 * explicit FTPSClient ("TLS"): AUTH TLS, then PBSZ 0 and PROT P after the
 * login; the server's self-signed certificate is accepted. Exits with 1 at the
 * first operation that fails, naming it and the server's reply on standard error.
 */
public final class CommonsNetClient {
  private static final int TIMEOUT_MS = 10_000;

  private final FTPClient ftp;
  private final PrintStream out;

  private CommonsNetClient(FTPClient ftp, PrintStream out) {
    this.ftp = ftp;
    this.out = out;
  }

  public static void main(String[] args) throws IOException {
    boolean secure = args[4].equals("tls");
    // The locale of the machine must not decide the encoding of names and results.
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    FTPClient ftp = secure ? tlsClient() : new FTPClient();
    ftp.setControlEncoding("UTF-8");
    ftp.setConnectTimeout(TIMEOUT_MS);
    ftp.setDefaultTimeout(TIMEOUT_MS);
    ftp.setDataTimeout(Duration.ofMillis(TIMEOUT_MS));
    CommonsNetClient client = new CommonsNetClient(ftp, out);

    ftp.connect(args[0], Integer.parseInt(args[1]));
    client.check(FTPReply.isPositiveCompletion(ftp.getReplyCode()), "connect");
    client.check(ftp.login(args[2], args[3]), "login");
    if (secure) {
      ((FTPSClient) ftp).execPBSZ(0);
      ((FTPSClient) ftp).execPROT("P");
    }
    ftp.enterLocalPassiveMode();
    client.check(ftp.setFileType(FTP.BINARY_FILE_TYPE), "TYPE I");
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isEmpty()) continue;
      String[] operation = line.split("\t");
      client.run(operation);
      out.println("done\t" + operation[0]);
    }
    ftp.logout();
    ftp.disconnect();
  }

  private static FTPSClient tlsClient() {
    FTPSClient ftps = new FTPSClient("TLS", false);
    ftps.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
    return ftps;
  }

  private void run(String[] operation) throws IOException {
    String verb = operation[0];
    switch (verb) {
      case "list" -> list(operation[1]);
      case "nlst" -> nlst(operation[1]);
      case "mlsd" -> mlsd(operation[1]);
      case "get" -> get(operation[1], operation[2], offset(operation, 3));
      case "put" -> put(operation[1], operation[2], offset(operation, 3), false);
      case "append" -> put(operation[1], operation[2], offset(operation, 3), true);
      case "rename" -> check(ftp.rename(operation[1], operation[2]), String.join(" ", operation));
      case "delete" -> check(ftp.deleteFile(operation[1]), String.join(" ", operation));
      default -> throw new IllegalArgumentException("unknown operation " + verb);
    }
  }

  private static long offset(String[] operation, int index) {
    return operation.length > index ? Long.parseLong(operation[index]) : 0;
  }

  // Listing the working folder gives bare names from every server; NLST of a path may prefix them.
  private void list(String folder) throws IOException {
    enter(folder);
    // FTPFileFilters.ALL keeps the lines the parser could not read, as null entries.
    FTPFile[] files = ftp.listFiles(null, FTPFileFilters.ALL);
    check(FTPReply.isPositiveCompletion(ftp.getReplyCode()), "LIST of " + folder);
    for (FTPFile file : files) {
      if (file == null) {
        out.println("line\t(a line the parser could not read)");
        continue;
      }
      out.println("line\t" + file.getRawListing());
      out.println("name\t" + file.getName());
    }
    leave();
  }

  private void nlst(String folder) throws IOException {
    enter(folder);
    String[] names = ftp.listNames();
    check(names != null, "NLST of " + folder);
    for (String name : names) out.println("name\t" + name);
    leave();
  }

  private void mlsd(String folder) throws IOException {
    FTPFile[] files = ftp.mlistDir(folder);
    check(FTPReply.isPositiveCompletion(ftp.getReplyCode()), "MLSD of " + folder);
    for (FTPFile file : files) {
      String type = file.isDirectory() ? "dir" : file.isFile() ? "file" : "other";
      out.println("entry\t" + file.getName() + "\t" + type + "\t" + file.getSize());
    }
  }

  // A resumed download keeps the first `offset` bytes already there and asks for the rest (REST).
  private void get(String remote, String local, long offset) throws IOException {
    Path path = Path.of(local);
    if (offset > 0) {
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
        channel.truncate(offset);
      }
    }
    ftp.setRestartOffset(offset);
    try (OutputStream sink = new FileOutputStream(local, offset > 0)) {
      check(ftp.retrieveFile(remote, sink), "RETR " + remote);
    }
  }

  private void put(String local, String remote, long offset, boolean append) throws IOException {
    try (InputStream source = Files.newInputStream(Path.of(local))) {
      source.skipNBytes(offset);
      if (append) {
        check(ftp.appendFile(remote, source), "APPE " + remote);
      } else {
        ftp.setRestartOffset(offset);
        check(ftp.storeFile(remote, source), "STOR " + remote);
      }
    }
  }

  private void enter(String folder) throws IOException {
    check(ftp.changeWorkingDirectory(folder), "CWD " + folder);
  }

  private void leave() throws IOException {
    check(ftp.changeWorkingDirectory("/"), "CWD /");
  }

  private void check(boolean succeeded, String what) {
    if (succeeded) return;
    String reply = ftp.getReplyString() == null ? "no reply" : ftp.getReplyString().trim();
    System.err.println("commons-net: " + what + " failed: " + reply);
    System.exit(1);
  }
}
