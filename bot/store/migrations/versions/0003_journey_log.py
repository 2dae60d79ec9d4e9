"""journey log

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 15:33:44.689742
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('journey_conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=300), nullable=False),
    sa.Column('sender_id', sa.String(length=255), nullable=False),
    sa.Column('first_event_id', sa.Integer(), nullable=False),
    sa.Column('last_event_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('last_activity_at', sa.DateTime(), nullable=False),
    sa.Column('stage_path', sa.String(length=200), nullable=False),
    sa.Column('current_stage', sa.String(length=40), nullable=True),
    sa.Column('turns', sa.Integer(), nullable=False),
    sa.Column('fallback_turns', sa.Integer(), nullable=False),
    sa.Column('handoff', sa.Boolean(), nullable=False),
    sa.Column('csat', sa.Integer(), nullable=True),
    sa.Column('order_verified', sa.Boolean(), nullable=False),
    sa.Column('order_hash', sa.String(length=64), nullable=True),
    sa.Column('pending_outcome', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journey_conversations')),
    sa.UniqueConstraint('conversation_id', name=op.f('uq_journey_conversations_conversation_id'))
    )
    with op.batch_alter_table('journey_conversations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journey_conversations_last_activity_at'), ['last_activity_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_journey_conversations_order_hash'), ['order_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_journey_conversations_outcome'), ['outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_journey_conversations_sender_id'), ['sender_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_journey_conversations_started_at'), ['started_at'], unique=False)

    op.create_table('journey_order_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_pk', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('shipment_status', sa.String(length=20), nullable=True),
    sa.Column('is_late', sa.Boolean(), nullable=False),
    sa.Column('estimated_delivery', sa.Date(), nullable=True),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_pk'], ['journey_conversations.id'], name=op.f('fk_journey_order_snapshots_conversation_pk_journey_conversations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journey_order_snapshots')),
    sa.UniqueConstraint('conversation_pk', name=op.f('uq_journey_order_snapshots_conversation_pk'))
    )
    op.create_table('journey_turns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_pk', sa.Integer(), nullable=False),
    sa.Column('turn', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('timestamp', sa.DateTime(), nullable=False),
    sa.Column('speaker', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('intent', sa.String(length=100), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('second_intent', sa.String(length=100), nullable=True),
    sa.Column('second_confidence', sa.Float(), nullable=True),
    sa.Column('entities', sa.Text(), nullable=True),
    sa.Column('action', sa.String(length=100), nullable=True),
    sa.Column('stage', sa.String(length=40), nullable=True),
    sa.Column('fallback', sa.Boolean(), nullable=False),
    sa.Column('handoff', sa.Boolean(), nullable=False),
    sa.Column('latency_ms', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['conversation_pk'], ['journey_conversations.id'], name=op.f('fk_journey_turns_conversation_pk_journey_conversations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journey_turns')),
    sa.UniqueConstraint('conversation_pk', 'turn', name=op.f('uq_journey_turns_conversation_pk')),
    sa.UniqueConstraint('event_id', name=op.f('uq_journey_turns_event_id'))
    )
    with op.batch_alter_table('journey_turns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journey_turns_conversation_pk'), ['conversation_pk'], unique=False)
        batch_op.create_index(batch_op.f('ix_journey_turns_stage'), ['stage'], unique=False)
        batch_op.create_index(batch_op.f('ix_journey_turns_timestamp'), ['timestamp'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('journey_turns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journey_turns_timestamp'))
        batch_op.drop_index(batch_op.f('ix_journey_turns_stage'))
        batch_op.drop_index(batch_op.f('ix_journey_turns_conversation_pk'))

    op.drop_table('journey_turns')
    op.drop_table('journey_order_snapshots')
    with op.batch_alter_table('journey_conversations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journey_conversations_started_at'))
        batch_op.drop_index(batch_op.f('ix_journey_conversations_sender_id'))
        batch_op.drop_index(batch_op.f('ix_journey_conversations_outcome'))
        batch_op.drop_index(batch_op.f('ix_journey_conversations_order_hash'))
        batch_op.drop_index(batch_op.f('ix_journey_conversations_last_activity_at'))

    op.drop_table('journey_conversations')
