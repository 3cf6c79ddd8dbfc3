"""Every Redis key name in one place, under one prefix, so a deployment can share a Redis and
`newsbot cluster` can work in a throwaway namespace."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Keys:
    prefix: str = "nb:"

    # producing side
    def seen(self, key: str) -> str:
        return f"{self.prefix}seen:{key}"

    def source_state(self, source_id: str) -> str:
        return f"{self.prefix}src:{source_id}"

    def source_lock(self, source_id: str) -> str:
        return f"{self.prefix}lock:src:{source_id}"

    @property
    def sources_added(self) -> str:
        """Sources added live (`/source add`, `newsbot sources import`): id → catalogue entry."""
        return f"{self.prefix}sources:added"

    @property
    def sources_status(self) -> str:
        """Sources paused or removed live: id → paused | removed (file sources too)."""
        return f"{self.prefix}sources:status"

    @property
    def sources_version(self) -> str:
        """Bumped by every live change, so each process re-reads the overlay only when it moved."""
        return f"{self.prefix}sources:version"

    def ticker_lines(self, source_id: str) -> str:
        return f"{self.prefix}tick:{source_id}"

    def cluster_signature(self, story: str) -> str:
        return f"{self.prefix}cl:sig:{story}"

    def cluster_facts(self, story: str) -> str:
        return f"{self.prefix}cl:facts:{story}"

    def cluster_prefixes(self, source: str) -> str:
        return f"{self.prefix}cl:pfx:{source}"

    def cluster_word(self, word: str) -> str:
        return f"{self.prefix}cl:word:{word}"

    def cluster_entity(self, entity: str) -> str:
        return f"{self.prefix}cl:ent:{entity}"

    @property
    def stories(self) -> str:
        return f"{self.prefix}stories"

    @property
    def recent(self) -> str:
        return f"{self.prefix}recent"

    # consuming side
    @property
    def chats(self) -> str:
        return f"{self.prefix}chats"

    def chat(self, chat_id: int) -> str:
        return f"{self.prefix}chat:{chat_id}"

    def chat_regions(self, chat_id: int) -> str:
        return f"{self.prefix}chat:{chat_id}:regions"

    def chat_keywords(self, chat_id: int) -> str:
        return f"{self.prefix}chat:{chat_id}:keywords"

    def chat_excludes(self, chat_id: int) -> str:
        return f"{self.prefix}chat:{chat_id}:excludes"

    def chat_sources(self, chat_id: int) -> str:
        """The source ids the chat follows (every item of each)."""
        return f"{self.prefix}chat:{chat_id}:sources"

    def region_index(self, region: str) -> str:
        return f"{self.prefix}idx:region:{region}"

    def source_index(self, source_id: str) -> str:
        """The chats that follow a source: matching's source → chats, as region_index."""
        return f"{self.prefix}idx:source:{source_id}"

    @property
    def keyword_terms(self) -> str:
        return f"{self.prefix}idx:keywords"

    def keyword_index(self, phrase: str) -> str:
        return f"{self.prefix}idx:kw:{phrase}"

    @property
    def chat_changes(self) -> str:
        return f"{self.prefix}idx:changes"

    @property
    def index_version(self) -> str:
        return f"{self.prefix}idx:version"

    @property
    def outbox(self) -> str:
        return f"{self.prefix}outbox"

    @property
    def dead_letters(self) -> str:
        return f"{self.prefix}outbox:dead"

    @property
    def rate_global(self) -> str:
        return f"{self.prefix}rate:global"

    def rate_chat(self, chat_id: int | str) -> str:
        return f"{self.prefix}rate:chat:{chat_id}"

    def sent_claim(self, chat_id: int, story: str) -> str:
        return f"{self.prefix}sent:{chat_id}:{story}"

    @property
    def saved_replies(self) -> str:
        """Replies still queued at the last shutdown, sent first by the next start."""
        return f"{self.prefix}replies:saved"

    def held(self, chat_id: int) -> str:
        return f"{self.prefix}held:{chat_id}"

    @property
    def held_chats(self) -> str:
        return f"{self.prefix}held:chats"

    def story(self, story: str) -> str:
        return f"{self.prefix}story:{story}"

    def item(self, key: str) -> str:
        return f"{self.prefix}item:{key}"

    def sent_update(self, chat_id: int, item_key: str) -> str:
        return f"{self.prefix}sent:{chat_id}:u:{item_key}"

    def chat_claims(self, chat_id: int) -> str:
        """The chat's sent and update claims (a sorted set by when each was made), so /stop
        forgets them without scanning the keyspace."""
        return f"{self.prefix}chat:{chat_id}:claims"

    def refused_picture(self, url: str) -> str:
        """A picture Telegram refused (by its URL's digest): later chats get the text at once."""
        return f"{self.prefix}picture:refused:{hashlib.sha1(url.encode('utf-8', 'replace')).hexdigest()[:24]}"

    def latest_cooldown(self, chat_id: int) -> str:
        """A group's or channel's one /latest a minute."""
        return f"{self.prefix}latest:{chat_id}"
