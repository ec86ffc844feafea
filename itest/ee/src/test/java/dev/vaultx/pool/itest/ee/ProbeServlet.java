package dev.vaultx.pool.itest.ee;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Looks at the server's JVM from inside: {@code GET /probe?pool=name} answers with the
 * {@link ServerState} of that pool, {@code GET /probe?pid} with the JVM's process id.
 */
@WebServlet("/probe")
public class ProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        String pool = req.getParameter("pool");
        resp.getWriter().write(pool != null ? ServerState.of(pool).format() : Long.toString(ProcessHandle.current().pid()));
    }
}
