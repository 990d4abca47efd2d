CREATE TABLE `failed_events` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`fingerprint` char(64) NOT NULL,
	`message_id` varchar(255),
	`raw_body` mediumtext NOT NULL,
	`reason` text NOT NULL,
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `failed_events_id` PRIMARY KEY(`id`),
	CONSTRAINT `failed_events_fingerprint_unique` UNIQUE(`fingerprint`)
);
--> statement-breakpoint
CREATE TABLE `user_activities` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`event_id` char(36) NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`event_type` varchar(64) NOT NULL,
	`occurred_at` datetime(3) NOT NULL,
	`received_at` datetime(3) NOT NULL,
	`metadata` json,
	`created_at` timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `user_activities_id` PRIMARY KEY(`id`),
	CONSTRAINT `user_activities_event_id_unique` UNIQUE(`event_id`)
);
--> statement-breakpoint
CREATE INDEX `user_activities_user_time_idx` ON `user_activities` (`user_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `user_activities_type_time_idx` ON `user_activities` (`event_type`,`occurred_at`);