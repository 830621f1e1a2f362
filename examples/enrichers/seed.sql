-- The example database of examples/enrichers/: run once with
--   psql -h 127.0.0.1 -U postgres -f examples/enrichers/seed.sql
-- It (re)creates the database scenic_shop with a client and an orders table.
DROP DATABASE IF EXISTS scenic_shop WITH (FORCE);
CREATE DATABASE scenic_shop;
\connect scenic_shop

-- An enum: Scenic types its columns as String, as the reference does.
CREATE TYPE client_tier AS ENUM ('GOLD', 'SILVER', 'BRONZE');

CREATE TABLE client (
    id      integer PRIMARY KEY,
    name    text NOT NULL,
    email   text,
    tier    client_tier NOT NULL,
    blocked boolean NOT NULL DEFAULT false,
    since   date NOT NULL
);

CREATE TABLE orders (
    id        serial PRIMARY KEY,
    client_id integer NOT NULL REFERENCES client (id),
    total     numeric(10, 2) NOT NULL,
    placed    timestamptz NOT NULL
);

INSERT INTO client (id, name, email, tier, blocked, since) VALUES
    (1, 'Anna Nowak',       'anna@example.com',  'GOLD',   false, '2019-04-01'),
    (2, 'Bartek Zielinski', 'bartek@example.com', 'SILVER', false, '2021-09-15'),
    (3, 'Celina Wojcik',    NULL,                 'BRONZE', true,  '2023-01-20'),
    (4, 'Dawid Lewandowski','dawid@example.com',  'SILVER', false, '2024-06-30');

INSERT INTO orders (client_id, total, placed) VALUES
    (1, 120.50, '2026-11-02T10:15:00Z'),
    (1,  89.99, '2026-11-20T18:40:00Z'),
    (1, 430.00, '2026-11-28T09:05:00Z'),
    (2,  15.00, '2026-10-11T12:00:00Z'),
    (4, 999.90, '2026-12-01T21:30:00Z');
