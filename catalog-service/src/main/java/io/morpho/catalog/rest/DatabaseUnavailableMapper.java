package io.morpho.catalog.rest;

import java.sql.SQLException;
import java.util.Map;

import org.jboss.logging.Logger;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Queries while PostgreSQL cannot be reached answer {@code 503 {"status", "error"}} with {@code Retry-After}, so a
 * client (or a load balancer) knows to come back, instead of a 500. Other database failures stay errors (500).
 */
@Provider
public class DatabaseUnavailableMapper implements ExceptionMapper<PersistenceException> {
    private static final Logger LOG = Logger.getLogger(DatabaseUnavailableMapper.class);

    @Override
    public Response toResponse(PersistenceException e) {
        if (!connectionFailure(e)) {
            LOG.error("database error", e);
            return Response.serverError().type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("status", 500, "error", "internal database error")).build();
        }
        LOG.warnf("query refused while the database is unavailable: %s", e.getMessage());
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).header("Retry-After", "5").type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", 503, "error", "the catalog database is unavailable; try again shortly")).build();
    }

    /** SQLSTATE class 08 (connection exception) anywhere in the cause chain, or a connection that could not be made. */
    static boolean connectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
            if (t instanceof java.net.ConnectException || t instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
        }
        return false;
    }
}
