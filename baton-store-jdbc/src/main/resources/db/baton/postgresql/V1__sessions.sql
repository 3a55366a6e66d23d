-- Sessions keyed by the SHA-256 hash of their id; the raw id is never stored.
-- Times are UTC milliseconds since the epoch.
CREATE TABLE ${prefix}sessions (
    id_hash            CHAR(64)     NOT NULL PRIMARY KEY,
    user_name          VARCHAR(255) NOT NULL,
    realm              VARCHAR(255) NOT NULL,
    auth_group         VARCHAR(255),
    owner_gateway      VARCHAR(255) NOT NULL,
    start_time         BIGINT       NOT NULL,
    last_activity_time BIGINT       NOT NULL,
    expiry_time        BIGINT       NOT NULL,
    session_data       TEXT         NOT NULL
);
-- cleanup by either column, per-user look-ups, restart of one gateway
CREATE INDEX ${prefix}sessions_expiry ON ${prefix}sessions (expiry_time);
CREATE INDEX ${prefix}sessions_activity ON ${prefix}sessions (last_activity_time);
CREATE INDEX ${prefix}sessions_user ON ${prefix}sessions (user_name, expiry_time);
CREATE INDEX ${prefix}sessions_owner ON ${prefix}sessions (owner_gateway, expiry_time);

-- The cleanup lease: one row, taken by compare-and-set so only one node deletes at a time.
CREATE TABLE ${prefix}lease (
    name       VARCHAR(64)  NOT NULL PRIMARY KEY,
    holder     VARCHAR(255),
    expires_at BIGINT       NOT NULL
);
INSERT INTO ${prefix}lease (name, holder, expires_at) VALUES ('session-cleanup', NULL, 0);
