/**
 * Small Compose documents that together exercise every top-level section and every service
 * attribute family, for the cross-check against the older official schema. Each is valid for
 * Berth; where the older schema disagrees, cross-check.test.ts says why.
 */
export const CORPUS: Record<string, string> = {
  'minimal service': `
services:
  web:
    image: nginx:alpine
`,
  'name and extension fields': `
name: shop
x-defaults: &defaults
  restart: unless-stopped
services:
  web:
    <<: *defaults
    image: nginx:alpine
    x-team: frontend
`,
  'obsolete version as a string': `
version: "3.9"
services:
  web:
    image: nginx:alpine
`,
  'obsolete version as a number': `
version: 3.8
services:
  web:
    image: nginx:alpine
`,
  'ports short and long': `
services:
  web:
    image: nginx:alpine
    ports:
      - "8080:80"
      - "127.0.0.1:8443:443/tcp"
      - "9090-9091:8080-8081"
      - 3000
      - target: 80
        published: "8081"
        host_ip: 127.0.0.1
        protocol: tcp
        mode: host
`,
  'port long syntax with name and app_protocol': `
services:
  web:
    image: nginx:alpine
    ports:
      - name: web
        target: 80
        app_protocol: http
`,
  'volumes short and long': `
services:
  db:
    image: postgres:16
    volumes:
      - data:/var/lib/postgresql/data
      - ./init:/docker-entrypoint-initdb.d:ro
      - type: bind
        source: ./conf
        target: /etc/conf
        read_only: true
        bind:
          create_host_path: true
      - type: tmpfs
        target: /tmp
        tmpfs:
          size: 1000000
volumes:
  data:
`,
  'volume subpath': `
services:
  db:
    image: postgres:16
    volumes:
      - type: volume
        source: data
        target: /data
        volume:
          subpath: sub
volumes:
  data: {}
`,
  'image mount': `
services:
  app:
    image: busybox
    volumes:
      - type: image
        source: alpine:3
        target: /img
`,
  'depends_on list and map': `
services:
  web:
    image: nginx:alpine
    depends_on:
      db:
        condition: service_healthy
      cache:
        condition: service_started
  api:
    image: busybox
    depends_on: [db]
  db:
    image: postgres:16
  cache:
    image: redis:7
`,
  'depends_on restart and required': `
services:
  web:
    image: nginx:alpine
    depends_on:
      db:
        condition: service_started
        restart: true
        required: false
  db:
    image: postgres:16
`,
  'environment and labels in both forms': `
services:
  web:
    image: nginx:alpine
    environment:
      A: "1"
      B:
    labels:
      - com.example.x=y
  api:
    image: busybox
    environment:
      - A=1
      - B
    labels:
      com.example.x: y
`,
  'env_file string and list': `
services:
  web:
    image: nginx:alpine
    env_file:
      - ./a.env
      - ./b.env
`,
  'env_file long syntax': `
services:
  web:
    image: nginx:alpine
    env_file:
      - path: ./a.env
        required: false
`,
  'build string and mapping': `
services:
  web:
    build: ./web
  api:
    image: api:dev
    build:
      context: ./api
      dockerfile: Dockerfile.dev
      args:
        VERSION: "1"
      target: dev
      labels: [a=b]
      cache_from: [api:cache]
      network: host
      shm_size: 64m
      extra_hosts: ["somehost:162.242.195.82"]
`,
  'build dockerfile_inline, additional_contexts, secrets, tags, platforms': `
services:
  api:
    build:
      context: .
      dockerfile_inline: |
        FROM busybox
      additional_contexts:
        base: docker-image://busybox
      secrets: [token]
      tags: ["api:latest"]
      platforms: [linux/amd64]
      no_cache: true
      pull: true
      ssh: [default]
secrets:
  token:
    environment: TOKEN
`,
  'deploy': `
services:
  web:
    image: nginx:alpine
    deploy:
      mode: replicated
      replicas: 2
      endpoint_mode: dnsrr
      labels: {tier: front}
      placement:
        constraints: [node.role == manager]
        preferences: [{spread: node.labels.zone}]
      resources:
        limits: {cpus: "0.5", memory: 50M}
        reservations: {cpus: "0.25", memory: 20M}
      restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 120s}
      update_config: {parallelism: 2, delay: 10s, order: stop-first}
      rollback_config: {parallelism: 1, failure_action: pause}
`,
  'deploy pids limit and devices': `
services:
  gpu:
    image: busybox
    deploy:
      resources:
        limits:
          pids: 100
        reservations:
          devices:
            - capabilities: [gpu]
              count: 1
`,
  'develop watch': `
services:
  web:
    image: nginx:alpine
    develop:
      watch:
        - path: ./html
          action: sync
          target: /usr/share/nginx/html
        - path: ./conf
          action: rebuild
`,
  'healthcheck': `
services:
  db:
    image: postgres:16
    healthcheck:
      test: ["CMD-SHELL", "pg_isready"]
      interval: 10s
      timeout: 5s
      retries: 5
      start_period: 30s
`,
  'healthcheck start_interval': `
services:
  db:
    image: postgres:16
    healthcheck:
      test: pg_isready
      start_interval: 1s
`,
  'logging, ulimits, sysctls, extra_hosts list': `
services:
  web:
    image: nginx:alpine
    logging:
      driver: json-file
      options:
        max-size: 1m
    ulimits:
      nproc: 65535
      nofile: {soft: 20000, hard: 40000}
    sysctls:
      net.core.somaxconn: 1024
    extra_hosts:
      - "somehost:162.242.195.82"
`,
  'extra_hosts as a mapping': `
services:
  web:
    image: nginx:alpine
    extra_hosts:
      somehost: 162.242.195.82
`,
  'runtime flags and resources': `
services:
  web:
    image: nginx:alpine
    init: true
    privileged: false
    read_only: true
    tty: true
    stdin_open: true
    user: "1000"
    working_dir: /app
    hostname: web
    domainname: example.com
    cap_add: [NET_ADMIN]
    cap_drop: [ALL]
    security_opt: [no-new-privileges:true]
    tmpfs: [/run]
    shm_size: 64m
    mem_limit: 512m
    cpus: 0.5
    cpu_shares: 512
    pids_limit: 100
    stop_signal: SIGTERM
    stop_grace_period: 1m30s
    restart: on-failure:3
    pull_policy: missing
    platform: linux/amd64
    dns: [1.1.1.1]
    dns_search: example.com
    entrypoint: ["/docker-entrypoint.sh"]
    command: ["nginx", "-g", "daemon off;"]
    expose: ["8080"]
    links: [db]
    external_links: [redis]
    ipc: shareable
    pid: host
    profiles: [debug]
    devices: ["/dev/fuse:/dev/fuse"]
    group_add: [mail]
`,
  'networks service-level and top-level': `
services:
  web:
    image: nginx:alpine
    networks:
      front:
        aliases: [www]
        ipv4_address: 172.16.238.10
      back:
  proxy:
    image: nginx:alpine
    network_mode: "service:web"
networks:
  front:
    driver: bridge
    driver_opts:
      com.docker.network.bridge.name: br-front
    ipam:
      config:
        - subnet: 172.16.238.0/24
          gateway: 172.16.238.1
    labels: {tier: front}
  back:
    internal: true
    attachable: true
    enable_ipv6: false
  outside:
    external: true
    name: host-network
`,
  'service network priorities': `
services:
  web:
    image: nginx:alpine
    networks:
      front:
        priority: 10
        gw_priority: 1
networks:
  front: {}
`,
  'volumes top-level': `
services:
  db:
    image: postgres:16
volumes:
  data:
    driver: local
    driver_opts: {type: none, o: bind, device: /srv/data}
    labels: [backup=daily]
  ext:
    external: true
  named:
    name: my-data
`,
  'secrets and configs': `
services:
  web:
    image: nginx:alpine
    secrets:
      - token
      - source: cert
        target: /run/secrets/server.crt
        uid: "101"
        gid: "101"
        mode: 0440
    configs:
      - nginx_conf
      - source: site
        target: /etc/nginx/conf.d/site.conf
secrets:
  token:
    file: ./token.txt
  cert:
    external: true
configs:
  nginx_conf:
    file: ./nginx.conf
  site:
    external: true
    name: site-v2
`,
  'secret from environment': `
services:
  web:
    image: nginx:alpine
secrets:
  token:
    environment: TOKEN
`,
  'config with inline content': `
services:
  web:
    image: nginx:alpine
configs:
  app:
    content: |
      debug=true
`,
  'include short and long': `
include:
  - ../common/compose.yaml
  - path: ./other/compose.yaml
    project_directory: ./other
    env_file: ./other/.env
services:
  web:
    image: nginx:alpine
`,
  'extends': `
services:
  base:
    image: busybox
  web:
    extends:
      service: base
  api:
    extends:
      file: common.yml
      service: api
`,
  'lifecycle hooks': `
services:
  web:
    image: nginx:alpine
    post_start:
      - command: ./on-start.sh
        user: root
    pre_stop:
      - command: ./on-stop.sh
`,
  'models': `
services:
  app:
    image: app
    models: [llm]
models:
  llm:
    model: ai/smollm2
`,
  'provider service': `
services:
  database:
    provider:
      type: awesomecloud
      options:
        type: mysql
`,
  'interpolated numbers and booleans (after interpolation they are strings)': `
services:
  web:
    image: nginx:alpine
    read_only: "true"
    deploy:
      replicas: "3"
    healthcheck:
      retries: "5"
`,
  'empty environment value and null network entries': `
services:
  web:
    image: nginx:alpine
    environment:
      EMPTY: ""
networks:
  default:
`,
}
